package dev.tuneforge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.api.testing.ApiTest;
import dev.tuneforge.api.testing.KafkaRecords;
import dev.tuneforge.api.testing.Requests;
import dev.tuneforge.common.Topics;
import dev.tuneforge.common.events.CloudEvent;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCancelRequested;
import dev.tuneforge.infra.test.TuneForgeInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Per-job order: a job whose row cannot be published sends nothing after it, and it does not hold
 * up other jobs. The rows are written the way the scheduler writes them (plain inserts).
 */
@QuarkusTest
@WithTestResource(TuneForgeInfraResource.class)
class RelayOrderTest extends ApiTest {

    private long appendRow(UUID jobId, String topic) {
        CloudEvent event = CODEC.wrap(EventType.JOB_CANCEL_REQUESTED, "/tuneforge/test",
                new JobCancelRequested(jobId, 1, "relay-order-test"));
        db.update("INSERT INTO outbox (event_id, job_id, topic, record_key, payload) VALUES (?, ?, ?, ?, ?)",
                UUID.fromString(event.id()), jobId, topic, jobId.toString(), CODEC.encode(event));
        return (Long) db.row("SELECT seq FROM outbox WHERE event_id = ?", UUID.fromString(event.id())).get("seq");
    }

    private Map<String, Object> row(long seq) {
        return db.row("SELECT sent_at, attempts, last_error FROM outbox WHERE seq = ?", seq);
    }

    @Test
    void aJobWhoseRowFailsSendsNothingAfterItWhileOtherJobsGoOn() {
        UUID stuck = UUID.randomUUID();
        // A topic name Kafka refuses: the row fails on every try, whatever the broker's health.
        long poisoned = appendRow(stuck, "tuneforge.no such topic");
        long behind = appendRow(stuck, Topics.JOB_CONTROL);
        try {
            UUID other = submitted(key, Requests.train());

            await().atMost(Duration.ofSeconds(30)).until(() -> "QUEUED".equals(status(other)));
            await().atMost(Duration.ofSeconds(30)).until(() -> (Integer) row(poisoned).get("attempts") >= 2);
            assertThat(row(poisoned).get("sent_at")).isNull();
            assertThat(row(poisoned).get("last_error")).asString().contains("InvalidTopic");
            assertThat(row(behind).get("sent_at")).isNull();
            assertThat(row(behind).get("attempts")).isEqualTo(0);
        } finally {
            // What an operator does with a row that can never be published.
            db.update("DELETE FROM outbox WHERE seq = ?", poisoned);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> row(behind).get("sent_at") != null);
        assertThat(KafkaRecords.withKey(bootstrapServers, Topics.JOB_CONTROL, stuck.toString())).hasSize(1);
    }
}
