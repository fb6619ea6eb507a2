package dev.tuneforge.scheduler.workflows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.workflows.WorkflowStatus;
import dev.tuneforge.scheduler.config.SchedulerConfig;
import dev.tuneforge.scheduler.jobs.AuditEntry;
import dev.tuneforge.scheduler.jobs.AuditLog;
import dev.tuneforge.scheduler.jobs.Commands;
import dev.tuneforge.scheduler.jobs.Job;
import dev.tuneforge.scheduler.jobs.JobStore;
import dev.tuneforge.scheduler.workflows.WorkflowStore.Workflow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Fails RUNNING workflows older than {@code tuneforge.scheduler.workflow.timeout}: FAILED "timed out after PT…",
 * every unfinished job cancelled the way the API cancels one ({@link Commands#cancel}), and a
 * {@code dev.tuneforge.workflow.timed-out} audit row that names the workflow and no job (a timer caused it).
 */
@ApplicationScoped
public class WorkflowTimeouts {
    static final String TIMED_OUT = "dev.tuneforge.workflow.timed-out";
    static final String CAUSE = "timer:workflow-timeout";

    private static final Logger LOG = Logger.getLogger(WorkflowTimeouts.class);

    private final WorkflowStore workflows;
    private final JobStore jobs;
    private final Commands commands;
    private final AuditLog audit;
    private final ObjectMapper mapper;
    private final SchedulerConfig config;

    public WorkflowTimeouts(WorkflowStore workflows, JobStore jobs, Commands commands, AuditLog audit, EventCodec codec,
            SchedulerConfig config) {
        this.workflows = workflows;
        this.jobs = jobs;
        this.commands = commands;
        this.audit = audit;
        this.mapper = codec.mapper();
        this.config = config;
    }

    /** Fails the workflows that ran out of time at {@code now}; returns how many. */
    @Transactional
    public int sweep(Instant now) {
        Duration timeout = config.workflow().timeout();
        List<Workflow> expired = workflows.lockRunningSince(now.minus(timeout), config.workflow().batchSize());
        String reason = "timed out after " + timeout;
        for (Workflow workflow : expired) {
            workflows.finish(workflow.id(), WorkflowStatus.FAILED, reason);
            audit.append(AuditEntry.bySchedulerOfWorkflow(workflow.id(), TIMED_OUT, config.source(), CAUSE, now,
                    mapper.createObjectNode().put("workflowId", workflow.id().toString()).put("reason", reason)));
            for (Job job : jobs.lockUnfinishedOf(workflow.id())) {
                commands.cancel(job, "workflow " + reason, CAUSE, now);
                jobs.save(job);
            }
            LOG.warnf("workflow %s %s: its unfinished jobs are cancelled", workflow.id(), reason);
        }
        return expired.size();
    }
}
