package dev.tuneforge.scheduler.events;

import static dev.tuneforge.scheduler.support.TestEvents.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.common.Topics;
import dev.tuneforge.common.events.CloudEvent;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCancelled;
import dev.tuneforge.common.events.JobCheckpoint;
import dev.tuneforge.common.events.JobEvaluated;
import dev.tuneforge.common.events.JobFailed;
import dev.tuneforge.common.events.JobProgress;
import dev.tuneforge.common.events.JobSamples;
import dev.tuneforge.common.events.JobStarted;
import dev.tuneforge.common.events.JobSucceeded;
import dev.tuneforge.common.jobs.JobStatus;
import dev.tuneforge.scheduler.support.EventDrivenTest;
import dev.tuneforge.scheduler.support.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The consumer against the real embedded Kafka and PostgreSQL: events in, audit trail and job state out. */
@QuarkusTest
class JobEventsConsumerTest extends EventDrivenTest {
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void theFullTrailLandsInOrderAndTheJobSucceeds() {
        UUID id = jobs.insert(JobStatus.QUEUED, 1);
        events.send(
                events.event(EventType.JOB_STARTED, new JobStarted(id, 1, "worker-1", null)),
                events.event(EventType.JOB_PROGRESS, new JobProgress(id, 1, "worker-1", 100, 200, 0.12, 0.15, 1e-4, 2.5, 40.0, null)),
                events.event(EventType.JOB_CHECKPOINT, new JobCheckpoint(id, 1, 200, "tenants/local/jobs/" + id + "/checkpoints/step-200/")),
                events.event(EventType.JOB_SAMPLES, new JobSamples(id, 1, 200, List.of("s/0.png", "s/1.png"))),
                events.event(EventType.JOB_EVALUATED, new JobEvaluated(id, 1, 200, Map.of("faceDistance", 0.41), "eval.json")),
                events.event(EventType.JOB_SUCCEEDED, new JobSucceeded(id, 1, Map.of("lora", "final/lora.safetensors"))));

        await().atMost(PATIENCE).until(() -> "SUCCEEDED".equals(jobs.status(id)));
        assertThat(jobs.auditTypes(id))
                .containsExactly("started", "progress", "checkpoint", "samples", "evaluated", "succeeded");
        assertThat(jobs.audit(id)).allSatisfy(row -> {
            assertThat(row.get("stale")).isEqualTo(false);
            assertThat(row.get("source")).isEqualTo(TestEvents.WORKER);
            assertThat(row.get("attempt")).isEqualTo(1);
        });
        Map<String, Object> job = jobs.row(id);
        assertThat(job.get("worker_id")).isEqualTo("worker-1");
        assertThat(job.get("started_at")).isNotNull();
        assertThat(job.get("finished_at")).isNotNull();
        assertThat(jobs.json(job.get("progress")).get("step").asInt()).isEqualTo(100);
        assertThat(jobs.json(job.get("artifacts")).at("/final/lora").asText()).isEqualTo("final/lora.safetensors");
        assertThat(jobs.json(job.get("artifacts")).at("/checkpoints/step-200").asText()).endsWith("step-200/");
        assertThat(jobs.json(job.get("artifacts")).at("/evaluations/step-200/metrics/faceDistance").asDouble()).isEqualTo(0.41);
    }

    @Test
    void theSameEventDeliveredTwiceIsAuditedOnceAndAppliedOnce() {
        UUID id = jobs.insert(JobStatus.RUNNING, 1);
        long versionBefore = version(id);
        CloudEvent checkpoint = events.event(EventType.JOB_CHECKPOINT, new JobCheckpoint(id, 1, 50, "ckpt-50"));
        events.send(checkpoint, checkpoint);
        CloudEvent marker = events.send(EventType.JOB_PROGRESS, JobProgress.heartbeat(id, 1, "worker-1", "after the duplicate"));

        awaitAudited(id, marker);
        assertThat(jobs.audit(id)).filteredOn(row -> checkpoint.id().equals(row.get("event_id"))).hasSize(1);
        assertThat(jobs.auditTypes(id)).containsExactly("checkpoint", "progress");
        // One write for the checkpoint, one for the marker: the redelivery wrote nothing.
        assertThat(version(id)).isEqualTo(versionBefore + 2);
    }

    @Test
    void anEventOfAStaleAttemptIsAuditedAsStaleAndChangesNothing() {
        UUID id = jobs.insert(JobStatus.RUNNING, 2);
        CloudEvent zombie = events.send(EventType.JOB_SUCCEEDED, new JobSucceeded(id, 1, Map.of("lora", "zombie.safetensors")));
        CloudEvent marker = events.send(EventType.JOB_PROGRESS, JobProgress.heartbeat(id, 2, "worker-2", "alive"));

        awaitAudited(id, marker);
        Map<String, Object> staleRow = jobs.audit(id).get(0);
        assertThat(staleRow.get("event_id")).isEqualTo(zombie.id());
        assertThat(staleRow.get("stale")).isEqualTo(true);
        assertThat(staleRow.get("attempt")).isEqualTo(1);
        Map<String, Object> job = jobs.row(id);
        assertThat(job.get("status")).isEqualTo("RUNNING");
        assertThat(job.get("finished_at")).isNull();
        assertThat(jobs.json(job.get("artifacts")).has("final")).isFalse();
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicAndTheConsumerKeepsGoing() {
        UUID id = jobs.insert(JobStatus.QUEUED, 1);
        CloudEvent valid = events.event(EventType.JOB_PROGRESS, JobProgress.heartbeat(id, 1, "w", "x"));
        String malformedKey = "malformed-" + UUID.randomUUID();
        String unknownTypeKey = "unknown-type-" + UUID.randomUUID();
        String futureSchemaKey = "future-schema-" + UUID.randomUUID();
        events.sendRaw(malformedKey, "{\"specversion\": \"1.0\", \"id\": ");
        events.sendRaw(unknownTypeKey, events.tampered(valid, Map.of("type", "dev.tuneforge.job.exploded")));
        events.sendRaw(futureSchemaKey, events.tampered(valid, Map.of("dataschema", "urn:tuneforge:dev.tuneforge.job.progress:v9")));
        events.send(EventType.JOB_STARTED, new JobStarted(id, 1, "worker-after-the-bad-ones", null));

        await().atMost(PATIENCE).until(() -> "RUNNING".equals(jobs.status(id)));
        List<ConsumerRecord<String, byte[]>> dead = events.deadLetters(List.of(malformedKey, unknownTypeKey, futureSchemaKey), PATIENCE);
        assertThat(dead).hasSize(3).allSatisfy(record -> {
            assertThat(header(record, Topics.DLQ_SOURCE_TOPIC_HEADER)).isEqualTo(Topics.JOB_EVENTS);
            assertThat(header(record, Topics.DLQ_CONSUMER_HEADER)).isEqualTo("tuneforge-scheduler");
        });
        assertThat(reasonOf(dead, malformedKey)).startsWith("malformed JSON");
        assertThat(reasonOf(dead, unknownTypeKey)).isEqualTo("unknown event type 'dev.tuneforge.job.exploded'");
        assertThat(reasonOf(dead, futureSchemaKey)).contains("unsupported dataschema 'urn:tuneforge:dev.tuneforge.job.progress:v9'");
        assertThat(new String(valueOf(dead, malformedKey))).isEqualTo("{\"specversion\": \"1.0\", \"id\": ");
    }

    @Test
    void anEventForAnUnknownJobIsAuditedAndOtherwiseIgnored() {
        UUID unknown = UUID.randomUUID();
        CloudEvent event = events.send(EventType.JOB_STARTED, new JobStarted(unknown, 1, "w", null));

        awaitAudited(unknown, event);
        assertThat(jobs.row(unknown)).isEmpty();
    }

    @Test
    void aFailureWithoutRetryAndACancellationEndTheirJobsWithTheReason() {
        UUID failed = jobs.insert(JobStatus.RUNNING, 1);
        UUID cancelled = jobs.insert(JobStatus.RUNNING, 1);
        events.send(EventType.JOB_FAILED, new JobFailed(failed, 1, "unreadable image me/3.png", false));
        events.send(EventType.JOB_CANCELLED, new JobCancelled(cancelled, 1, "cancelled by test-key"));

        await().atMost(PATIENCE).until(() -> "FAILED".equals(jobs.status(failed)) && "CANCELLED".equals(jobs.status(cancelled)));
        assertThat(jobs.row(failed).get("failure_reason")).isEqualTo("unreadable image me/3.png");
        assertThat(jobs.row(cancelled).get("failure_reason")).isEqualTo("cancelled by test-key");
        assertThat(jobs.auditTypes(failed)).containsExactly("failed");
    }

    @Test
    void aDatabaseFaultDelaysAnEventButNeverSkipsIt() throws Exception {
        UUID id = jobs.insert(JobStatus.RUNNING, 1);
        CloudEvent succeeded;
        try (Connection blocker = DriverManager.getConnection(jdbcUrl, "tuneforge", "tuneforge");
                Connection observer = DriverManager.getConnection(jdbcUrl, "tuneforge", "tuneforge")) {
            blocker.setAutoCommit(false);
            try (PreparedStatement lock = blocker.prepareStatement("SELECT 1 FROM jobs WHERE id = ? FOR UPDATE")) {
                lock.setObject(1, id);
                lock.executeQuery().close();
            }
            succeeded = events.send(EventType.JOB_SUCCEEDED, new JobSucceeded(id, 1, Map.of()));
            // The scheduler's transaction now waits for the row; kill its connection mid-transaction.
            // The observer is in autocommit: PostgreSQL keeps one pg_stat_activity snapshot per
            // transaction, so polling from the blocker's open transaction would never see the wait
            // begin if the first poll came before it.
            int pid = await().atMost(PATIENCE).until(() -> waitingBackend(observer), OptionalInt::isPresent).getAsInt();
            try (PreparedStatement kill = observer.prepareStatement("SELECT pg_terminate_backend(?)")) {
                kill.setInt(1, pid);
                kill.executeQuery().close();
            }
            blocker.commit();
        }

        await().atMost(PATIENCE).until(() -> "SUCCEEDED".equals(jobs.status(id)));
        assertThat(jobs.audit(id)).extracting(row -> row.get("event_id")).containsExactly(succeeded.id());
    }

    /** The backend of another session that waits for a row lock on {@code jobs}. */
    private static OptionalInt waitingBackend(Connection connection) throws Exception {
        try (PreparedStatement query = connection.prepareStatement("SELECT pid FROM pg_stat_activity"
                + " WHERE wait_event_type = 'Lock' AND query LIKE '%FROM jobs WHERE id = $1 FOR UPDATE%'");
                ResultSet rows = query.executeQuery()) {
            return rows.next() ? OptionalInt.of(rows.getInt(1)) : OptionalInt.empty();
        }
    }

    private void awaitAudited(UUID jobId, CloudEvent event) {
        await().atMost(PATIENCE).until(() -> jobs.audit(jobId).stream().anyMatch(row -> event.id().equals(row.get("event_id"))));
    }

    private long version(UUID id) {
        return ((Number) jobs.row(id).get("version")).longValue();
    }

    private static String reasonOf(List<ConsumerRecord<String, byte[]>> records, String key) {
        return header(record(records, key), Topics.DLQ_REASON_HEADER);
    }

    private static byte[] valueOf(List<ConsumerRecord<String, byte[]>> records, String key) {
        return record(records, key).value();
    }

    private static ConsumerRecord<String, byte[]> record(List<ConsumerRecord<String, byte[]>> records, String key) {
        return records.stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
    }
}
