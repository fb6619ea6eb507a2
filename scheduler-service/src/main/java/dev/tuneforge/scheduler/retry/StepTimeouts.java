package dev.tuneforge.scheduler.retry;

import dev.tuneforge.scheduler.config.SchedulerConfig;
import dev.tuneforge.scheduler.jobs.Job;
import dev.tuneforge.scheduler.jobs.JobStore;
import dev.tuneforge.scheduler.workflows.WorkflowDriver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Finds workflow jobs whose current attempt has been RUNNING longer than
 * {@code tuneforge.scheduler.workflow.step-timeout} (heartbeats or not) and sends them down the {@link RetryPath}:
 * another attempt after a backoff, or FAILED when none is left, which the driver turns into the workflow's failure.
 */
@ApplicationScoped
public class StepTimeouts {
    static final String CAUSE = "timer:step-timeout";

    private final JobStore jobs;
    private final RetryPath retryPath;
    private final WorkflowDriver workflows;
    private final SchedulerConfig.Workflow config;

    public StepTimeouts(JobStore jobs, RetryPath retryPath, WorkflowDriver workflows, SchedulerConfig config) {
        this.jobs = jobs;
        this.retryPath = retryPath;
        this.workflows = workflows;
        this.config = config.workflow();
    }

    /** Handles the jobs over time at {@code now}; returns how many. */
    @Transactional
    public int sweep(Instant now) {
        Duration timeout = config.stepTimeout();
        List<Job> slow = jobs.lockWorkflowJobsRunningSince(now.minus(timeout), config.batchSize());
        String reason = "step timed out after " + timeout;
        for (Job job : slow) {
            retryPath.attemptLost(job, reason, CAUSE, now);
            jobs.save(job);
            workflows.onTimer(job, CAUSE, now);
        }
        return slow.size();
    }
}
