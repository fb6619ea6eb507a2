package dev.tuneforge.scheduler.retry;

import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobFailed;
import dev.tuneforge.common.jobs.InvalidSpecException;
import dev.tuneforge.common.jobs.JobSpec;
import dev.tuneforge.common.jobs.JobSpecs;
import dev.tuneforge.common.jobs.JobStatus;
import dev.tuneforge.scheduler.config.SchedulerConfig;
import dev.tuneforge.scheduler.jobs.AuditEntry;
import dev.tuneforge.scheduler.jobs.AuditLog;
import dev.tuneforge.scheduler.jobs.Commands;
import dev.tuneforge.scheduler.jobs.Job;
import dev.tuneforge.scheduler.jobs.JobStore;
import dev.tuneforge.scheduler.workflows.WorkflowDriver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Puts due retries back on the queue: RETRYING → QUEUED with the next attempt, and a new
 * {@code job.requested} command (stored spec, tenant and submitter) written to the outbox in the
 * same transaction. The api-service's relay publishes it; the scheduler never produces commands.
 */
@ApplicationScoped
public class Requeue {
    static final String CAUSE = "timer:retry-due";

    private static final Logger LOG = Logger.getLogger(Requeue.class);

    private final JobStore jobs;
    private final Commands commands;
    private final WorkflowDriver workflows;
    private final AuditLog audit;
    private final EventCodec codec;
    private final SchedulerConfig config;
    private final JobSpecs specs;

    public Requeue(JobStore jobs, Commands commands, WorkflowDriver workflows, AuditLog audit, EventCodec codec,
            SchedulerConfig config) {
        this.jobs = jobs;
        this.commands = commands;
        this.workflows = workflows;
        this.audit = audit;
        this.codec = codec;
        this.config = config;
        this.specs = new JobSpecs(codec.mapper());
    }

    /** Re-queues the retries due at {@code now}; returns how many jobs it handled. */
    @Transactional
    public int requeueDue(Instant now) {
        List<Job> due = jobs.lockDueRetries(now, config.retry().batchSize());
        for (Job job : due) {
            requeue(job, now);
            jobs.save(job);
            // A job failed here (its stored spec is no longer valid) may end its workflow's wait.
            workflows.onTimer(job, CAUSE, now);
        }
        return due.size();
    }

    private void requeue(Job job, Instant now) {
        JobSpec spec;
        try {
            // The spec of the next attempt is parsed before the job moves: a bad row changes nothing but its status.
            spec = specs.parse(job.kind(), job.spec());
        } catch (InvalidSpecException e) {
            failUnretryable(job, "cannot retry: the stored spec is not valid: " + e.getMessage(), now);
            return;
        }
        if (!job.requeue(now)) {
            return;
        }
        commands.request(job, spec, CAUSE, now);
        LOG.infof("job %s re-queued as attempt %d of %d", job.id(), job.attempt(), job.maxAttempts());
    }

    private void failUnretryable(Job job, String reason, Instant now) {
        if (job.moveTo(JobStatus.FAILED, now, reason)) {
            LOG.errorf("job %s: %s", job.id(), reason);
            audit.append(AuditEntry.bySchedulerOf(job, EventType.JOB_FAILED.type(), config.source(), CAUSE, now,
                    codec.mapper().valueToTree(new JobFailed(job.id(), job.attempt(), reason, false))));
        }
    }
}
