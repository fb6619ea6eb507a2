package dev.tuneforge.worker.testing;

import dev.tuneforge.worker.messaging.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Another member of the workers' share group, driven by a test: it competes with the worker for
 * commands like a second worker would (same client settings, plus the test's overrides).
 */
public final class ShareGroupMember implements AutoCloseable {
    private final KafkaShareConsumer<String, byte[]> consumer;
    private final String clientId;

    public ShareGroupMember(String bootstrapServers, String group, String name, Collection<String> topics,
            Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(new KafkaClients(bootstrapServers, name).shareConsumer(group));
        config.putAll(overrides);
        clientId = (String) config.get(CommonClientConfigs.CLIENT_ID_CONFIG);
        consumer = new KafkaShareConsumer<>(config);
        consumer.subscribe(List.copyOf(topics));
    }

    public String clientId() {
        return clientId;
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

    /** Polls for {@code duration}, releasing whatever arrives; returns the keys of what it was handed. */
    public List<String> pollAndRelease(Duration duration) {
        List<String> keys = new ArrayList<>();
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() - deadline < 0) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                keys.add(record.key());
                consumer.acknowledge(record, AcknowledgeType.RELEASE);
            }
        }
        return keys;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    /**
     * The partitions the group coordinator has given each member (by client id) once every member
     * has its target assignment.
     */
    public static Map<String, Set<TopicPartition>> assignments(Admin admin, String group) throws Exception {
        ShareGroupDescription description = admin.describeShareGroups(List.of(group)).all().get().get(group);
        Map<String, Set<TopicPartition>> byClient = new HashMap<>();
        for (ShareMemberDescription member : description.members()) {
            if (member.memberEpoch() != description.targetAssignmentEpoch()) {
                return Map.of();
            }
            byClient.put(member.clientId(), member.assignment().topicPartitions());
        }
        return byClient;
    }
}
