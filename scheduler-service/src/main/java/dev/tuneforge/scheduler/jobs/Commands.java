package dev.tuneforge.scheduler.jobs;

import dev.tuneforge.common.events.CloudEvent;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCancelRequested;
import dev.tuneforge.common.events.JobCancelled;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.events.JobEventData;
import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.common.jobs.JobSpec;
import dev.tuneforge.common.jobs.JobStatus;
import dev.tuneforge.scheduler.config.SchedulerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/**
 * Queues a job's commands: {@code job.requested} (for its kind's topic) or {@code job.cancel-requested} (for the
 * control topic) goes to the outbox and into the job's audit trail under the same event id, in the caller's
 * transaction. The one way the scheduler asks workers for work, whether it re-queues a retry or enqueues a
 * workflow step, or to stop it.
 */
@ApplicationScoped
public class Commands {
    private final Outbox outbox;
    private final AuditLog audit;
    private final EventCodec codec;
    private final SchedulerConfig config;

    public Commands(Outbox outbox, AuditLog audit, EventCodec codec, SchedulerConfig config) {
        this.outbox = outbox;
        this.audit = audit;
        this.codec = codec;
        this.config = config;
    }

    /** Queues the command of {@code job}'s current attempt to run {@code spec}, audited with {@code cause}. */
    public void request(Job job, JobSpec spec, String cause, Instant now) {
        JobCommand command = new JobCommand(job.id(), job.attempt(), job.tenantId(), job.submittedBy(), spec);
        publish(job, EventType.JOB_REQUESTED, command, topicOf(spec.kind()), cause, now);
    }

    /**
     * Cancels {@code job} the way the API does: a cancel request on the control topic (a worker that holds or later
     * gets the job's command stops or skips it), and, when no worker holds it (SUBMITTED/QUEUED and unclaimed, or
     * RETRYING between attempts), CANCELLED at once with {@code reason}, audited. The caller saves the job.
     */
    public void cancel(Job job, String reason, String cause, Instant now) {
        publish(job, EventType.JOB_CANCEL_REQUESTED, new JobCancelRequested(job.id(), job.attempt(), config.source()),
                config.commandTopics().jobControl(), cause, now);
        boolean unclaimed = job.status() == JobStatus.RETRYING
                || (job.workerId() == null && (job.status() == JobStatus.SUBMITTED || job.status() == JobStatus.QUEUED));
        if (unclaimed && job.moveTo(JobStatus.CANCELLED, now, reason)) {
            CloudEvent cancelled = codec.wrap(EventType.JOB_CANCELLED, config.source(),
                    new JobCancelled(job.id(), job.attempt(), reason));
            audit.append(entryOf(job, cancelled, cause, now));
        }
    }

    private void publish(Job job, EventType type, JobEventData data, String topic, String cause, Instant now) {
        CloudEvent event = codec.wrap(type, config.source(), data);
        outbox.append(UUID.fromString(event.id()), job.id(), topic, codec.encode(event));
        audit.append(entryOf(job, event, cause, now));
    }

    private static AuditEntry entryOf(Job job, CloudEvent event, String cause, Instant now) {
        return new AuditEntry(UUID.fromString(event.id()), job.id(), job.workflowId(), event.type(), job.attempt(), false,
                event.source(), now, cause, event.data());
    }

    private String topicOf(JobKind kind) {
        return switch (kind) {
            case TRAIN -> config.commandTopics().train();
            case GENERATE -> config.commandTopics().generate();
            case EVALUATE -> config.commandTopics().evaluate();
        };
    }
}
