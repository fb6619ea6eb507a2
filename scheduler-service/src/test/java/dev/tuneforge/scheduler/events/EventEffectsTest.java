package dev.tuneforge.scheduler.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCancelled;
import dev.tuneforge.common.events.JobCheckpoint;
import dev.tuneforge.common.events.JobEvaluated;
import dev.tuneforge.common.events.JobEventData;
import dev.tuneforge.common.events.JobFailed;
import dev.tuneforge.common.events.JobProgress;
import dev.tuneforge.common.events.JobSamples;
import dev.tuneforge.common.events.JobStarted;
import dev.tuneforge.common.events.JobSucceeded;
import dev.tuneforge.common.events.TypedEvent;
import dev.tuneforge.common.jobs.JobStatus;
import dev.tuneforge.scheduler.jobs.Job;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventEffectsTest {
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private final EventCodec codec = new EventCodec();
    private final ObjectMapper mapper = codec.mapper();
    private final EventEffects effects = new EventEffects(mapper);
    private final UUID jobId = UUID.randomUUID();

    private Job job(JobStatus status) {
        return Job.of(jobId, "local", "train", mapper.createObjectNode(), "tester", status, 1, 3);
    }

    private Optional<String> apply(Job job, EventType type, JobEventData data) {
        TypedEvent<JobEventData> event = new TypedEvent<>(codec.wrap(type, "test", data), type, data);
        return effects.apply(job, event, NOW);
    }

    @Test
    void startedMovesAQueuedJobToRunningWithItsWorker() {
        Job job = job(JobStatus.QUEUED);
        apply(job, EventType.JOB_STARTED, new JobStarted(jobId, 1, "worker-7", null));
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.workerId()).isEqualTo("worker-7");
        assertThat(job.startedAt()).isEqualTo(NOW);
        assertThat(job.lastHeartbeatAt()).isEqualTo(NOW);
    }

    @Test
    void progressIsAHeartbeatAndKeepsTheLatestFigures() {
        Job job = job(JobStatus.RUNNING);
        apply(job, EventType.JOB_PROGRESS, new JobProgress(jobId, 1, "w", 10, 200, 0.5, 0.6, 1e-4, 2.0, 95.0, null));
        apply(job, EventType.JOB_PROGRESS, new JobProgress(jobId, 1, "w", 20, 200, 0.4, null, null, null, null, "ok"));
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.lastHeartbeatAt()).isEqualTo(NOW);
        assertThat(job.progress().get("step").asInt()).isEqualTo(20);
        assertThat(job.progress().get("loss").asDouble()).isEqualTo(0.4);
        assertThat(job.progress().get("lossAverage").asDouble()).isEqualTo(0.6);
        assertThat(job.progress().get("message").asText()).isEqualTo("ok");
    }

    @Test
    void aNanLossStillMakesValidJson() throws Exception {
        Job job = job(JobStatus.RUNNING);
        apply(job, EventType.JOB_PROGRESS, new JobProgress(jobId, 1, "w", 1, 2, Double.NaN, null, null, null, null, null));
        assertThat(new ObjectMapper().readTree(job.progress().toString()).get("loss").asText()).isEqualTo("NaN");
    }

    @Test
    void checkpointsSamplesAndEvaluationsAreKeptByStep() {
        Job job = job(JobStatus.RUNNING);
        apply(job, EventType.JOB_CHECKPOINT, new JobCheckpoint(jobId, 1, 100, "s3://c/100"));
        apply(job, EventType.JOB_CHECKPOINT, new JobCheckpoint(jobId, 1, 200, "s3://c/200"));
        apply(job, EventType.JOB_SAMPLES, new JobSamples(jobId, 1, 200, List.of("a.png", "b.png")));
        apply(job, EventType.JOB_EVALUATED, new JobEvaluated(jobId, 1, 200, Map.of("faceDistance", 0.4), "m.json"));
        assertThat(job.artifacts().at("/checkpoints/step-100").asText()).isEqualTo("s3://c/100");
        assertThat(job.artifacts().at("/checkpoints/step-200").asText()).isEqualTo("s3://c/200");
        assertThat(job.artifacts().at("/samples/step-200/1").asText()).isEqualTo("b.png");
        assertThat(job.artifacts().at("/evaluations/step-200/metrics/faceDistance").asDouble()).isEqualTo(0.4);
        assertThat(job.artifacts().at("/evaluations/step-200/report").asText()).isEqualTo("m.json");
        assertThat(job.progress().at("/lastCheckpoint/step").asInt()).isEqualTo(200);
        assertThat(job.progress().at("/lastSamples/count").asInt()).isEqualTo(2);
        assertThat(job.progress().at("/lastEvaluation/step").asInt()).isEqualTo(200);
    }

    @Test
    void succeededEndsTheJobWithItsFinalArtifacts() {
        Job job = job(JobStatus.RUNNING);
        apply(job, EventType.JOB_SUCCEEDED, new JobSucceeded(jobId, 1, Map.of("lora", "s3://f/lora.safetensors")));
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.finishedAt()).isEqualTo(NOW);
        assertThat(job.artifacts().at("/final/lora").asText()).isEqualTo("s3://f/lora.safetensors");
    }

    @Test
    void aNonRetryableFailureFailsWithItsReasonAndCancelKeepsTheReasonToo() {
        Job failed = job(JobStatus.RUNNING);
        assertThat(apply(failed, EventType.JOB_FAILED, new JobFailed(jobId, 1, "unreadable image a.png", false))).isEmpty();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.failureReason()).isEqualTo("unreadable image a.png");

        Job cancelled = job(JobStatus.RUNNING);
        apply(cancelled, EventType.JOB_CANCELLED, new JobCancelled(jobId, 1, "by alice"));
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.failureReason()).isEqualTo("by alice");
    }

    @Test
    void aRetryableFailureLeavesTheDecisionToTheRetryPath() {
        Job job = job(JobStatus.RUNNING);
        assertThat(apply(job, EventType.JOB_FAILED, new JobFailed(jobId, 1, "S3 timeout", true))).contains("S3 timeout");
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void terminalJobsNeverChange() {
        Job job = job(JobStatus.SUCCEEDED);
        apply(job, EventType.JOB_PROGRESS, new JobProgress(jobId, 1, "w", 5, 10, 0.1, null, null, null, null, null));
        apply(job, EventType.JOB_FAILED, new JobFailed(jobId, 1, "late", false));
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.progress().isEmpty()).isTrue();
        assertThat(job.failureReason()).isNull();
    }

    @Test
    void anEventOfTheCurrentAttemptRevivesAJobThatWaitsForItsRetry() {
        Job job = job(JobStatus.RETRYING);
        apply(job, EventType.JOB_PROGRESS, JobProgress.heartbeat(jobId, 1, "w", "still here"));
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.nextRetryAt()).isNull();
    }
}
