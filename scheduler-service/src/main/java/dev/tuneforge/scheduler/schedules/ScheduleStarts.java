package dev.tuneforge.scheduler.schedules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.jobs.InvalidSpecException;
import dev.tuneforge.common.workflows.StepSpec;
import dev.tuneforge.common.workflows.WorkflowSpec;
import dev.tuneforge.common.workflows.WorkflowSpecs;
import dev.tuneforge.scheduler.config.SchedulerConfig;
import dev.tuneforge.scheduler.jobs.AuditEntry;
import dev.tuneforge.scheduler.jobs.AuditLog;
import dev.tuneforge.scheduler.jobs.Commands;
import dev.tuneforge.scheduler.jobs.Job;
import dev.tuneforge.scheduler.jobs.JobStore;
import dev.tuneforge.scheduler.workflows.WorkflowStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Starts the workflow of one schedule tick, in ONE transaction: the workflow row (naming the schedule and the
 * tick), its steps, a {@code dev.tuneforge.workflow.submitted} audit row, and its root jobs with their commands
 * ({@link Commands}: outbox + audit), all with {@code cause = timer:schedule/<id>@<tick>}. A tick fired twice (two
 * instances, a refired trigger) starts one workflow: the unique (schedule, tick) index turns the second insert
 * into a no-op. A stored workflow that no longer validates is reported (audit + log), never thrown, so the trigger
 * keeps its next ticks.
 */
@ApplicationScoped
public class ScheduleStarts {
    public static final String SUBMITTED = "dev.tuneforge.workflow.submitted";
    /** Same type as the driver's failures: the tick's workflow failed before it could start. */
    public static final String FAILED = "dev.tuneforge.workflow.failed";

    private static final Logger LOG = Logger.getLogger(ScheduleStarts.class);

    /** What a tick did; for logs and tests. */
    public enum Outcome { STARTED, ALREADY_STARTED, INVALID, NO_SCHEDULE }

    private final ScheduleStore schedules;
    private final WorkflowStore workflows;
    private final JobStore jobs;
    private final Commands commands;
    private final AuditLog audit;
    private final WorkflowSpecs specs;
    private final ObjectMapper mapper;
    private final SchedulerConfig config;

    public ScheduleStarts(ScheduleStore schedules, WorkflowStore workflows, JobStore jobs, Commands commands, AuditLog audit,
            EventCodec codec, SchedulerConfig config) {
        this.schedules = schedules;
        this.workflows = workflows;
        this.jobs = jobs;
        this.commands = commands;
        this.audit = audit;
        this.mapper = codec.mapper();
        this.specs = new WorkflowSpecs(mapper);
        this.config = config;
    }

    @Transactional
    public Outcome start(UUID scheduleId, Instant tick) {
        Schedule schedule = schedules.find(scheduleId).filter(Schedule::enabled).orElse(null);
        if (schedule == null) {
            // Deleted or disabled since the trigger fired; the next sync removes the trigger.
            LOG.infof("schedule %s is gone or disabled: tick %s starts nothing", scheduleId, tick);
            return Outcome.NO_SCHEDULE;
        }
        String cause = "timer:schedule/" + scheduleId + "@" + tick;
        Instant now = Instant.now();
        WorkflowSpec spec;
        try {
            spec = specs.parse(schedule.workflow());
        } catch (InvalidSpecException e) {
            return invalid(schedule, tick, cause, now, e.getMessage());
        }
        List<String> unknown = schedules.unknownReferences(schedule.tenantId(), spec);
        if (!unknown.isEmpty()) {
            return invalid(schedule, tick, cause, now, String.join("; ", unknown));
        }
        UUID workflowId = UUID.randomUUID();
        String createdBy = "schedule:" + schedule.name();
        if (!workflows.createForTick(workflowId, schedule.tenantId(), spec, createdBy, scheduleId, tick)) {
            LOG.infof("schedule %s tick %s already started its workflow: this fire is a no-op", scheduleId, tick);
            return Outcome.ALREADY_STARTED;
        }
        ObjectNode submitted = about(schedule, tick).put("workflowId", workflowId.toString()).put("template", spec.template());
        audit.append(AuditEntry.bySchedulerOfWorkflow(workflowId, SUBMITTED, config.source(), cause, now, submitted));
        for (StepSpec root : spec.roots()) {
            Job job = jobs.insertQueued(UUID.randomUUID(), schedule.tenantId(), root.kind().wireName(),
                    mapper.valueToTree(root.spec()), createdBy, workflowId, root.id());
            commands.request(job, root.spec(), cause, now);
        }
        LOG.infof("schedule %s ('%s') tick %s started workflow %s", scheduleId, schedule.name(), tick, workflowId);
        return Outcome.STARTED;
    }

    private Outcome invalid(Schedule schedule, Instant tick, String cause, Instant now, String problem) {
        String reason = "the schedule's workflow is no longer valid: " + problem;
        audit.append(AuditEntry.bySchedulerOfWorkflow(null, FAILED, config.source(), cause, now,
                about(schedule, tick).put("reason", reason)));
        LOG.warnf("schedule %s ('%s') tick %s started no workflow: %s", schedule.id(), schedule.name(), tick, reason);
        return Outcome.INVALID;
    }

    private ObjectNode about(Schedule schedule, Instant tick) {
        return mapper.createObjectNode().put("scheduleId", schedule.id().toString()).put("scheduleName", schedule.name())
                .put("scheduledFor", tick.toString());
    }
}
