package dev.tuneforge.worker.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Client settings of the worker's Kafka clients. Keys are job ids (strings), values CloudEvents
 * JSON (bytes, decoded by the runner so that a bad record can go to the DLQ unchanged).
 */
public final class KafkaClients {
    private final String bootstrapServers;
    private final String workerId;

    public KafkaClients(String bootstrapServers, String workerId) {
        this.bootstrapServers = bootstrapServers;
        this.workerId = workerId;
    }

    /**
     * The command consumer of the share group: explicit acknowledgement (accept only after the
     * terminal event's ack, renew while running, release on faults), and exactly one record per
     * poll without prefetching, so a busy worker holds no command another worker could run.
     */
    public Map<String, Object> shareConsumer(String group) {
        Map<String, Object> config = common("commands");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        config.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }

    /**
     * The reader of job-control: no group (every worker reads every partition itself, from the
     * beginning, so a worker that starts after a cancel request still knows it) and no commits.
     */
    public Map<String, Object> controlConsumer() {
        Map<String, Object> config = common("control");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }

    /**
     * Events and dead letters: idempotent (a retried send is written once, per-job order holds) and
     * acknowledged by all in-sync replicas; a send gives up after {@code publishTimeout}.
     */
    public Map<String, Object> producer(Duration publishTimeout) {
        Map<String, Object> config = common("events");
        int timeoutMs = Math.toIntExact(publishTimeout.toMillis());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // delivery.timeout.ms must cover linger + request timeout; max.block.ms bounds a send while the broker is away.
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }

    public Map<String, Object> admin(String role) {
        return common(role);
    }

    private Map<String, Object> common(String role) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, "tuneforge-worker-" + workerId + "-" + role);
        return config;
    }
}
