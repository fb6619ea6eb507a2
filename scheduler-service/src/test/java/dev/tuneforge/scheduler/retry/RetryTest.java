package dev.tuneforge.scheduler.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.common.events.CloudEvent;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.events.JobFailed;
import dev.tuneforge.common.events.JobProgress;
import dev.tuneforge.common.events.TypedEvent;
import dev.tuneforge.common.jobs.JobStatus;
import dev.tuneforge.scheduler.support.EventDrivenTest;
import dev.tuneforge.scheduler.support.TestJobs;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Quartz timers against the real database: lost attempts are retried with a new command in
 * the outbox, or failed when no attempt is left. The test profile's heartbeat timeout is 30 s, so
 * the rows below are made silent for an hour.
 */
@QuarkusTest
class RetryTest extends EventDrivenTest {
    private static final Duration LONG_SILENCE = Duration.ofHours(1);
    private static final String SCHEDULER = "tuneforge/scheduler";

    @Test
    void aJobWhoseHeartbeatStoppedIsRetriedAsItsNextAttemptWithANewCommand() {
        UUID id = jobs.insert(JobStatus.RUNNING, 1, 3, LONG_SILENCE);

        await().atMost(PATIENCE).until(() -> "QUEUED".equals(jobs.status(id)));
        List<Map<String, Object>> trail = jobs.audit(id);
        assertThat(jobs.auditTypes(id)).containsExactly("retry-scheduled", "requested");
        Map<String, Object> retrying = trail.get(0);
        assertThat(retrying.get("source")).isEqualTo(SCHEDULER);
        assertThat(retrying.get("cause")).isEqualTo("timer:heartbeat-timeout");
        assertThat(retrying.get("attempt")).isEqualTo(1);
        JsonNode decision = jobs.json(retrying.get("payload"));
        assertThat(decision.get("reason").asText()).isEqualTo("no heartbeat for 30s");
        assertThat(decision.get("nextAttempt").asInt()).isEqualTo(2);
        assertThat(Instant.parse(decision.get("retryAt").asText())).isAfter(Instant.now().minus(PATIENCE));
        Map<String, Object> requeued = trail.get(1);
        assertThat(requeued.get("cause")).isEqualTo("timer:retry-due");
        assertThat(requeued.get("attempt")).isEqualTo(2);

        Map<String, Object> job = jobs.row(id);
        assertThat(job.get("attempt")).isEqualTo(2);
        assertThat(job.get("next_retry_at")).isNull();
        assertThat(job.get("worker_id")).isNull();
        assertNewCommand(id, 2, (String) requeued.get("event_id"));
    }

    @Test
    void aJobWithoutAttemptsLeftFailsWithTheReason() {
        UUID id = jobs.insert(JobStatus.RUNNING, 3, 3, LONG_SILENCE);

        await().atMost(PATIENCE).until(() -> "FAILED".equals(jobs.status(id)));
        assertThat(jobs.row(id).get("failure_reason")).isEqualTo("no heartbeat for 30s after 3 attempts");
        assertThat(jobs.row(id).get("finished_at")).isNotNull();
        Map<String, Object> failed = jobs.audit(id).get(0);
        assertThat(jobs.auditTypes(id)).containsExactly("failed");
        assertThat(failed.get("source")).isEqualTo(SCHEDULER);
        assertThat(failed.get("cause")).isEqualTo("timer:heartbeat-timeout");
        assertThat(jobs.json(failed.get("payload")).get("retryable").asBoolean()).isFalse();
        assertThat(jobs.outbox(id)).isEmpty();
    }

    @Test
    void aRetryableFailureTakesTheRetryPath() {
        UUID id = jobs.insert(JobStatus.RUNNING, 1);
        CloudEvent failure = events.send(EventType.JOB_FAILED, new JobFailed(id, 1, "S3 timeout after 3 tries", true));

        await().atMost(PATIENCE).until(() -> "QUEUED".equals(jobs.status(id)));
        assertThat(jobs.auditTypes(id)).containsExactly("failed", "retry-scheduled", "requested");
        Map<String, Object> decision = jobs.audit(id).get(1);
        assertThat(decision.get("source")).isEqualTo(SCHEDULER);
        assertThat(decision.get("cause")).isEqualTo("event:" + failure.id());
        assertThat(jobs.row(id).get("attempt")).isEqualTo(2);
        assertNewCommand(id, 2, (String) jobs.audit(id).get(2).get("event_id"));

        // The lost attempt's late events are history now: audited as stale, no effect.
        CloudEvent late = events.send(EventType.JOB_PROGRESS, JobProgress.heartbeat(id, 1, "old-worker", "late"));
        await().atMost(PATIENCE).until(() -> jobs.audit(id).stream().anyMatch(row -> late.id().equals(row.get("event_id"))));
        assertThat(jobs.audit(id).get(3).get("stale")).isEqualTo(true);
        assertThat(jobs.status(id)).isEqualTo("QUEUED");
    }

    @Test
    void aRetryableFailureOfTheLastAttemptFailsTheJob() {
        UUID id = jobs.insert(JobStatus.RUNNING, 2, 2, Duration.ZERO);
        CloudEvent failure = events.send(EventType.JOB_FAILED, new JobFailed(id, 2, "broker unreachable", true));

        await().atMost(PATIENCE).until(() -> "FAILED".equals(jobs.status(id)));
        assertThat(jobs.row(id).get("failure_reason")).isEqualTo("broker unreachable after 2 attempts");
        assertThat(jobs.auditTypes(id)).containsExactly("failed", "failed");
        assertThat(jobs.audit(id).get(1).get("cause")).isEqualTo("event:" + failure.id());
        assertThat(jobs.outbox(id)).isEmpty();
    }

    @Test
    void aJobThatCannotBeTurnedIntoACommandFailsWithoutHoldingUpOtherRetries() {
        UUID broken = jobs.insertDueRetry("{\"modelId\": \"sd15\", \"datasetId\": \"d\", \"lora\": \"rank 8\"}");
        UUID sound = jobs.insertDueRetry(jobs.trainSpecJson());

        await().atMost(PATIENCE).until(() -> "FAILED".equals(jobs.status(broken)) && "QUEUED".equals(jobs.status(sound)));
        assertThat((String) jobs.row(broken).get("failure_reason"))
                .startsWith("cannot retry: the stored spec is not valid: spec.lora: invalid value");
        assertThat(jobs.row(broken).get("attempt")).isEqualTo(1);
        assertThat(jobs.audit(broken).get(0).get("cause")).isEqualTo("timer:retry-due");
        assertThat(jobs.outbox(broken)).isEmpty();
        assertNewCommand(sound, 2, (String) jobs.audit(sound).get(0).get("event_id"));
    }

    /** The outbox holds exactly one command for the job: the given attempt, with the stored spec, tenant and submitter. */
    private void assertNewCommand(UUID id, int attempt, String eventId) {
        List<Map<String, Object>> outbox = jobs.outbox(id);
        assertThat(outbox).hasSize(1);
        Map<String, Object> row = outbox.get(0);
        assertThat(row.get("topic")).isEqualTo("tuneforge.jobs.train");
        assertThat(row.get("record_key")).isEqualTo(id.toString());
        assertThat(row.get("event_id")).isEqualTo(eventId);
        assertThat(row.get("sent_at")).isNull();
        TypedEvent<?> command = events.codec().decode((byte[]) row.get("payload"));
        assertThat(command.type()).isEqualTo(EventType.JOB_REQUESTED);
        assertThat(command.id()).isEqualTo(eventId);
        assertThat(command.envelope().source()).isEqualTo(SCHEDULER);
        assertThat(command.data()).isEqualTo(new JobCommand(id, attempt, "local", TestJobs.SUBMITTER, TestJobs.trainSpec()));
    }
}
