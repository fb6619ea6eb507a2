package dev.tuneforge.scheduler.jobs;

import dev.tuneforge.common.events.CloudEvent;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.common.jobs.JobSpec;
import dev.tuneforge.scheduler.config.SchedulerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/**
 * Queues a job's {@code job.requested} command: the command goes to the outbox (for its kind's topic)
 * and into the job's audit trail under the same event id, in the caller's transaction. The one way
 * the scheduler asks workers for work, whether it re-queues a retry or enqueues a workflow step.
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
        CloudEvent event = codec.wrap(EventType.JOB_REQUESTED, config.source(), command);
        UUID eventId = UUID.fromString(event.id());
        outbox.append(eventId, job.id(), topicOf(spec.kind()), codec.encode(event));
        audit.append(new AuditEntry(eventId, job.id(), job.workflowId(), event.type(), job.attempt(), false,
                config.source(), now, cause, event.data()));
    }

    private String topicOf(JobKind kind) {
        return switch (kind) {
            case TRAIN -> config.commandTopics().train();
            case GENERATE -> config.commandTopics().generate();
            case EVALUATE -> config.commandTopics().evaluate();
        };
    }
}
