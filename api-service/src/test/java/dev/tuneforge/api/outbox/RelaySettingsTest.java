package dev.tuneforge.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class RelaySettingsTest {
    @Test
    void producerIsIdempotentBoundedAndKeepsTheSharedKafkaSettings() {
        Map<String, Object> settings = RelayProducer.settings(
                Map.of("bootstrap.servers", "broker:9092", "group.id", "tuneforge-api", "security.protocol", "SSL"),
                Duration.ofSeconds(10));

        assertThat(settings)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092")
                .containsEntry("security.protocol", "SSL")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000)
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000L)
                .doesNotContainKey("group.id");
        int linger = (int) settings.get(ProducerConfig.LINGER_MS_CONFIG);
        int request = (int) settings.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);
        assertThat(linger + request).isLessThanOrEqualTo(10_000);
        // Kafka validates the whole set when a producer is built; this must not throw.
        new ProducerConfig(settings);
    }

    @Test
    void backoffDoublesUpToItsCap() {
        Duration initial = Duration.ofMillis(200);
        Duration max = Duration.ofSeconds(5);
        assertThat(OutboxRelay.backoff(1, initial, max)).isEqualTo(Duration.ofMillis(200));
        assertThat(OutboxRelay.backoff(2, initial, max)).isEqualTo(Duration.ofMillis(400));
        assertThat(OutboxRelay.backoff(5, initial, max)).isEqualTo(Duration.ofMillis(3200));
        assertThat(OutboxRelay.backoff(6, initial, max)).isEqualTo(max);
        assertThat(OutboxRelay.backoff(10_000, initial, max)).isEqualTo(max);
    }
}
