package dev.tuneforge.scheduler.events;

import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.JobEventData;
import dev.tuneforge.common.events.TypedEvent;
import dev.tuneforge.common.jobs.JobStateMachine;
import dev.tuneforge.scheduler.jobs.AuditEntry;
import dev.tuneforge.scheduler.jobs.AuditLog;
import dev.tuneforge.scheduler.jobs.Job;
import dev.tuneforge.scheduler.jobs.JobStore;
import dev.tuneforge.scheduler.jobs.ProcessedEvents;
import dev.tuneforge.scheduler.retry.RetryPath;
import dev.tuneforge.scheduler.workflows.WorkflowDriver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Applies one job event in one transaction: the idempotency mark, the audit entry and the job's
 * new state commit together or not at all, so a redelivered event (after a crash, a rebalance, a
 * producer retry) is recognised by its id and changes nothing twice. A job of a workflow moves its
 * workflow on in the same transaction ({@link WorkflowDriver}).
 */
@ApplicationScoped
public class EventProcessor {
    private static final Logger LOG = Logger.getLogger(EventProcessor.class);

    /** What became of an event; for logs and tests. */
    public enum Outcome { APPLIED, DUPLICATE, STALE, UNKNOWN_JOB }

    private final ProcessedEvents processed;
    private final JobStore jobs;
    private final AuditLog audit;
    private final RetryPath retryPath;
    private final EventEffects effects;
    private final CheckpointRecords checkpoints;
    private final WorkflowDriver workflows;
    private final String consumer;

    public EventProcessor(ProcessedEvents processed, JobStore jobs, AuditLog audit, RetryPath retryPath,
            CheckpointRecords checkpoints, WorkflowDriver workflows, EventCodec codec, @ConfigProperty(name = "mp.messaging.incoming.job-events.group.id") String consumer) {
        this.processed = processed;
        this.jobs = jobs;
        this.audit = audit;
        this.retryPath = retryPath;
        this.effects = new EventEffects(codec.mapper());
        this.checkpoints = checkpoints;
        this.workflows = workflows;
        this.consumer = consumer;
    }

    @Transactional
    public Outcome process(TypedEvent<? extends JobEventData> event, UUID eventId) {
        if (!processed.markFirstDelivery(consumer, eventId)) {
            LOG.debugf("event %s already processed; redelivery ignored", eventId);
            return Outcome.DUPLICATE;
        }
        JobEventData data = event.data();
        Instant now = Instant.now();
        Optional<Job> found = jobs.lock(data.jobId());
        if (found.isEmpty()) {
            audit.append(entryOf(event, eventId, null, false));
            LOG.warnf("%s event %s for unknown job %s: audited, otherwise ignored", event.type().type(), eventId,
                    data.jobId());
            return Outcome.UNKNOWN_JOB;
        }
        Job job = found.get();
        boolean stale = !JobStateMachine.isCurrentAttempt(data.attempt(), job.attempt());
        audit.append(entryOf(event, eventId, job.workflowId(), stale));
        if (stale) {
            LOG.infof("%s event %s of job %s is from attempt %d, the job is on attempt %d: audited as stale",
                    event.type().type(), eventId, job.id(), data.attempt(), job.attempt());
            return Outcome.STALE;
        }
        if (!job.status().isTerminal()) {
            // Same rule as the job's own figures: a terminal job's record never changes.
            checkpoints.record(job, data);
        }
        effects.apply(job, event, now)
                .ifPresent(reason -> retryPath.attemptLost(job, reason, "event:" + eventId, now));
        jobs.save(job);
        // After the save: the workflow reads its jobs' rows, this one's new status included.
        workflows.onEvent(job, data, eventId, now);
        return Outcome.APPLIED;
    }

    /** The consumed event's row; a workflow job's rows name the workflow, so its audit trail reads as one story. */
    private static AuditEntry entryOf(TypedEvent<? extends JobEventData> event, UUID eventId, UUID workflowId, boolean stale) {
        Instant occurredAt = event.envelope().time() == null ? null : event.envelope().time().toInstant();
        return new AuditEntry(eventId, event.data().jobId(), workflowId, event.type().type(), event.data().attempt(), stale,
                event.envelope().source(), occurredAt, null, event.envelope().data());
    }
}
