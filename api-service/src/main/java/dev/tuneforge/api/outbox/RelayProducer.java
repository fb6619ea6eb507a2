package dev.tuneforge.api.outbox;

import dev.tuneforge.api.config.ApiConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The relay's Kafka producer: idempotent ({@code enable.idempotence}, {@code acks=all}), so the
 * producer's own retries never duplicate or reorder a record within a partition, and bounded in
 * time ({@code delivery.timeout.ms}, {@code max.block.ms}), so a broker outage fails a pass instead
 * of hanging it. Every other {@code kafka.*} setting (bootstrap servers, security) comes from the
 * Kafka client extension's shared configuration.
 */
@ApplicationScoped
public class RelayProducer {
    private static final int LINGER_MS = 5;

    private final Map<String, Object> kafkaConfig;
    private final ApiConfig config;
    private Producer<String, byte[]> producer;

    RelayProducer(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, ApiConfig config) {
        this.kafkaConfig = kafkaConfig;
        this.config = config;
    }

    /** Hands the record to the producer; the future completes when the broker acknowledged it or gave up. */
    public synchronized Future<RecordMetadata> send(String topic, String key, byte[] value) {
        if (producer == null) {
            producer = new KafkaProducer<>(settings(kafkaConfig, deliveryTimeout()));
        }
        return producer.send(new ProducerRecord<>(topic, key, value));
    }

    public Duration deliveryTimeout() {
        return config.relay().deliveryTimeout();
    }

    /** The shared {@code kafka.*} settings a producer knows, with the relay's delivery guarantees on top. */
    static Map<String, Object> settings(Map<String, Object> kafkaConfig, Duration deliveryTimeout) {
        Map<String, Object> settings = new HashMap<>();
        kafkaConfig.forEach((name, value) -> {
            if (ProducerConfig.configNames().contains(name)) {
                settings.put(name, value);
            }
        });
        long delivery = deliveryTimeout.toMillis();
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "tuneforge-api-outbox-relay");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, (delivery - LINGER_MS) / 2));
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, delivery);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return settings;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(deliveryTimeout());
            producer = null;
        }
    }
}
