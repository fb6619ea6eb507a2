package dev.tuneforge.api.jobs;

import dev.tuneforge.api.auth.Caller;
import dev.tuneforge.api.config.ApiConfig;
import dev.tuneforge.api.outbox.OutboxWriter;
import dev.tuneforge.api.persistence.JobEntity;
import dev.tuneforge.api.persistence.JobRepository;
import dev.tuneforge.common.events.CloudEvent;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCancelRequested;
import dev.tuneforge.common.events.JobCancelled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Cancels a job. A job no worker has claimed yet is CANCELLED at once; a job a worker may be running
 * is asked to stop through {@code tuneforge.job-control} and ends when the worker reports it. Either
 * way the cancel request is published, so a worker that already holds (or later receives) the
 * command knows not to run it, and the request (and an immediate cancel) goes to the audit trail.
 */
@ApplicationScoped
public class JobCancellation {
    private final JobRepository jobs;
    private final OutboxWriter outbox;
    private final AuditTrail audit;
    private final ApiConfig config;

    JobCancellation(JobRepository jobs, OutboxWriter outbox, AuditTrail audit, ApiConfig config) {
        this.jobs = jobs;
        this.outbox = outbox;
        this.audit = audit;
        this.config = config;
    }

    /** The job after the request, and whether it is already CANCELLED (false: a worker was asked to stop). */
    public record Cancellation(JobEntity job, boolean immediate) {
    }

    @Transactional
    public Cancellation cancel(Caller caller, UUID id) {
        // The row lock orders this against the scheduler's writes: the status checked is the status changed.
        JobEntity job = jobs.findForTenantLocked(caller.tenantId(), id)
                .orElseThrow(() -> new JobNotFoundException(id.toString()));
        if (job.status.isTerminal()) {
            throw new JobNotCancellableException(id, job.status);
        }
        CloudEvent request = outbox.append(config.topics().jobControl(), EventType.JOB_CANCEL_REQUESTED,
                new JobCancelRequested(id, job.attempt, caller.keyName()));
        audit.record(request, job.attempt, AuditTrail.CANCEL);
        String reason = "cancelled by " + caller.keyName() + " before a worker took it";
        boolean immediate = jobs.cancelUnclaimed(id, Instant.now().truncatedTo(ChronoUnit.MICROS), reason);
        if (immediate) {
            audit.record(EventType.JOB_CANCELLED, new JobCancelled(id, job.attempt, reason), AuditTrail.CANCEL);
        }
        jobs.getEntityManager().refresh(job);
        return new Cancellation(job, immediate);
    }
}
