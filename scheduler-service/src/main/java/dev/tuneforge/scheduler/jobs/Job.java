package dev.tuneforge.scheduler.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneforge.common.jobs.JobStateMachine;
import dev.tuneforge.common.jobs.JobStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code jobs} as the scheduler sees it, locked for the current transaction. The methods
 * are the moves the scheduler makes; each status change goes through {@link JobStateMachine}, so a
 * write never moves a job backwards or out of a terminal state. {@link JobStore#save} writes the
 * mutable part back, guarded by {@code version}.
 */
public final class Job {
    private final UUID id;
    private final String tenantId;
    private final String kind;
    private final JsonNode spec;
    private final String submittedBy;
    private final int maxAttempts;
    private final long version;

    // Package-private: JobStore fills them from the row.
    JobStatus status;
    int attempt;
    String workerId;
    String failureReason;
    ObjectNode progress = JsonNodeFactory.instance.objectNode();
    ObjectNode artifacts = JsonNodeFactory.instance.objectNode();
    Instant startedAt;
    Instant finishedAt;
    Instant lastHeartbeatAt;
    Instant nextRetryAt;
    UUID workflowId;
    String workflowStep;

    Job(UUID id, String tenantId, String kind, JsonNode spec, String submittedBy, int maxAttempts, long version) {
        this.id = id;
        this.tenantId = tenantId;
        this.kind = kind;
        this.spec = spec;
        this.submittedBy = submittedBy;
        this.maxAttempts = maxAttempts;
        this.version = version;
    }

    /** A job in the given state with no progress yet; the row's other columns start empty. */
    public static Job of(UUID id, String tenantId, String kind, JsonNode spec, String submittedBy,
            JobStatus status, int attempt, int maxAttempts) {
        Job job = new Job(id, tenantId, kind, spec, submittedBy, maxAttempts, 0);
        job.status = status;
        job.attempt = attempt;
        return job;
    }

    /** Moves to {@code target} if the state machine allows it; returns whether the status changed. */
    public boolean moveTo(JobStatus target, Instant now) {
        if (status == target || !JobStateMachine.canTransition(status, target)) {
            return false;
        }
        if (target == JobStatus.RUNNING) {
            startedAt = now;
            lastHeartbeatAt = now;
        }
        if (target.isTerminal()) {
            finishedAt = now;
        }
        if (target != JobStatus.RETRYING) {
            nextRetryAt = null;
        }
        status = target;
        return true;
    }

    /** The job ended (or will be retried) for {@code reason}. */
    public boolean moveTo(JobStatus target, Instant now, String reason) {
        boolean moved = moveTo(target, now);
        if (moved) {
            failureReason = reason;
        }
        return moved;
    }

    /** RUNNING → RETRYING: the attempt is lost; the next one is due at {@code dueAt}. */
    public boolean scheduleRetry(Instant now, Instant dueAt, String reason) {
        boolean moved = moveTo(JobStatus.RETRYING, now, reason);
        if (moved) {
            nextRetryAt = dueAt;
        }
        return moved;
    }

    /** RETRYING → QUEUED with the next attempt; what the lost attempt left on the row is cleared. */
    public boolean requeue(Instant now) {
        if (!moveTo(JobStatus.QUEUED, now)) {
            return false;
        }
        attempt++;
        workerId = null;
        failureReason = null;
        lastHeartbeatAt = null;
        return true;
    }

    public void heartbeat(Instant now) {
        lastHeartbeatAt = now;
    }

    public boolean hasAttemptsLeft() {
        return attempt < maxAttempts;
    }

    public UUID id() {
        return id;
    }

    public String tenantId() {
        return tenantId;
    }

    public String kind() {
        return kind;
    }

    public JsonNode spec() {
        return spec;
    }

    public String submittedBy() {
        return submittedBy;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    long version() {
        return version;
    }

    public JobStatus status() {
        return status;
    }

    public int attempt() {
        return attempt;
    }

    public String workerId() {
        return workerId;
    }

    public void workerId(String workerId) {
        this.workerId = workerId;
    }

    public String failureReason() {
        return failureReason;
    }

    /** Live progress figures and the latest checkpoint/samples/evaluation, edited in place. */
    public ObjectNode progress() {
        return progress;
    }

    /** Where the job's outputs are: checkpoints, samples, evaluations, final artifacts; edited in place. */
    public ObjectNode artifacts() {
        return artifacts;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public Instant lastHeartbeatAt() {
        return lastHeartbeatAt;
    }

    public Instant nextRetryAt() {
        return nextRetryAt;
    }

    /** The workflow this job is a step of, or null for a job submitted on its own. */
    public UUID workflowId() {
        return workflowId;
    }

    /** The id of the workflow step this job runs, or null. */
    public String workflowStep() {
        return workflowStep;
    }

    /** Marks a new job (from {@link #of}) as running {@code step} of {@code workflow}. */
    public Job inWorkflow(UUID workflow, String step) {
        this.workflowId = workflow;
        this.workflowStep = step;
        return this;
    }
}
