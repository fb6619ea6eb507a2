package dev.tuneforge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.api.testing.ApiTest;
import dev.tuneforge.api.testing.KafkaRecords;
import dev.tuneforge.api.testing.Requests;
import dev.tuneforge.common.Topics;
import dev.tuneforge.infra.test.KafkaResource;
import dev.tuneforge.infra.test.TuneForgeInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Issue 2: a job submitted while Kafka is down is published after it returns, nothing lost. */
@QuarkusTest
@WithTestResource(TuneForgeInfraResource.class)
class KafkaOutageTest extends ApiTest {

    private Map<String, Object> outboxRow(UUID job) {
        return db.row("SELECT sent_at, attempts, last_error, event_id FROM outbox WHERE job_id = ?", job);
    }

    @Test
    void aJobSubmittedDuringABrokerOutageIsPublishedWhenTheBrokerReturns() {
        UUID train;
        UUID generate;
        KafkaResource.stopBroker();
        try {
            train = submitted(key, Requests.train());
            generate = submitted(key, Requests.generate());

            // The relay tries, fails, records why, and leaves everything as it was.
            await().atMost(Duration.ofSeconds(60)).until(() -> ((Integer) outboxRow(train).get("attempts")) >= 2);
            assertThat(outboxRow(train).get("last_error")).asString().isNotBlank();
            assertThat(outboxRow(train).get("sent_at")).isNull();
            assertThat(outboxRow(generate).get("sent_at")).isNull();
            assertThat(status(train)).isEqualTo("SUBMITTED");
            assertThat(status(generate)).isEqualTo("SUBMITTED");
        } finally {
            KafkaResource.startBroker();
        }

        await().atMost(Duration.ofSeconds(90))
                .until(() -> "QUEUED".equals(status(train)) && "QUEUED".equals(status(generate)));
        assertThat(outboxRow(train).get("sent_at")).isNotNull();
        assertThat(outboxRow(generate).get("sent_at")).isNotNull();
        assertPublished(Topics.JOBS_TRAIN, train);
        assertPublished(Topics.JOBS_GENERATE, generate);
    }

    /** On the topic, keyed by the job: at least once, and any copy is the same event (consumers dedupe by id). */
    private void assertPublished(String topic, UUID job) {
        String eventId = outboxRow(job).get("event_id").toString();
        assertThat(KafkaRecords.withKey(bootstrapServers, topic, job.toString()))
                .isNotEmpty()
                .extracting(ConsumerRecord::value)
                .allSatisfy(value -> assertThat(CODEC.decodeEnvelope(value).id()).isEqualTo(eventId));
    }
}
