package dev.tuneforge.scheduler.retry;

import dev.tuneforge.scheduler.config.SchedulerConfig;
import dev.tuneforge.scheduler.jobs.Commands;
import dev.tuneforge.scheduler.jobs.Job;
import dev.tuneforge.scheduler.jobs.JobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Finds workflow jobs whose current attempt has been RUNNING longer than
 * {@code tuneforge.scheduler.workflow.step-timeout} (heartbeats or not) and sends them down the {@link RetryPath}:
 * another attempt after a backoff, or FAILED when none is left, which the driver turns into the workflow's failure.
 * The worker still running the timed-out attempt (it heartbeats, so it is alive, but stuck) is asked to stop it
 * first: a cancel request names that attempt only, so the next attempt is not cancelled with it.
 */
@ApplicationScoped
public class StepTimeouts {
    static final String CAUSE = "timer:step-timeout";

    private final JobStore jobs;
    private final LostAttempts lostAttempts;
    private final Commands commands;
    private final SchedulerConfig.Workflow config;

    public StepTimeouts(JobStore jobs, LostAttempts lostAttempts, Commands commands, SchedulerConfig config) {
        this.jobs = jobs;
        this.lostAttempts = lostAttempts;
        this.commands = commands;
        this.config = config.workflow();
    }

    /** Handles the jobs over time at {@code now}; returns how many. */
    @Transactional
    public int sweep(Instant now) {
        Duration timeout = config.stepTimeout();
        List<Job> slow = jobs.lockWorkflowJobsRunningSince(now.minus(timeout), config.batchSize());
        String reason = "step timed out after " + timeout;
        slow.forEach(job -> commands.cancel(job, reason, CAUSE, now));
        return lostAttempts.lose(slow, reason, CAUSE, now);
    }
}
