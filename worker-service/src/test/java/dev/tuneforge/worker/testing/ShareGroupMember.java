package dev.tuneforge.worker.testing;

import dev.tuneforge.worker.messaging.KafkaClients;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;

/**
 * Another member of a workers' share group, driven by a test: it takes commands like a worker would
 * (same client settings, plus the test's overrides) and then does what the test says.
 */
public final class ShareGroupMember implements AutoCloseable {
    private final KafkaShareConsumer<String, byte[]> consumer;

    public ShareGroupMember(String bootstrapServers, String group, String name, Collection<String> topics,
            Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(new KafkaClients(bootstrapServers, name).shareConsumer(group));
        config.putAll(overrides);
        consumer = new KafkaShareConsumer<>(config);
        consumer.subscribe(List.copyOf(topics));
    }

    /**
     * Polls until a record matching {@code wanted} arrives and returns it unacknowledged (this member
     * now holds its lock); records it does not want are released. Null if none came in time.
     */
    public ConsumerRecord<String, byte[]> acquire(Predicate<ConsumerRecord<String, byte[]>> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (wanted.test(record)) {
                    return record;
                }
                consumer.acknowledge(record, AcknowledgeType.RELEASE);
            }
        }
        return null;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
