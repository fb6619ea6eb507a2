package dev.tuneforge.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
    private final KafkaClients clients = new KafkaClients("localhost:1234", "w1");

    @Test
    void shareConsumerAcknowledgesExplicitlyOneRecordAtATime() {
        Map<String, Object> config = clients.shareConsumer("tuneforge-workers");
        assertThat(config).containsEntry("group.id", "tuneforge-workers")
                .containsEntry("share.acknowledgement.mode", "explicit")
                .containsEntry("share.acquire.mode", "record_limit")
                .containsEntry("max.poll.records", 1)
                .containsEntry("bootstrap.servers", "localhost:1234")
                .containsEntry("client.id", "tuneforge-worker-w1-commands");
    }

    @Test
    void controlConsumerHasNoGroupAndCommitsNothing() {
        Map<String, Object> config = clients.controlConsumer();
        assertThat(config).doesNotContainKey("group.id")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("auto.offset.reset", "earliest");
    }

    @Test
    void producerIsIdempotentAndBoundedByThePublishTimeout() {
        Map<String, Object> config = clients.producer(Duration.ofSeconds(10));
        assertThat(config).containsEntry("enable.idempotence", true)
                .containsEntry("acks", "all")
                .containsEntry("delivery.timeout.ms", 10_000)
                .containsEntry("max.block.ms", 10_000)
                .containsEntry("request.timeout.ms", 10_000);
    }
}
