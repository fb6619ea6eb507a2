package dev.tuneforge.scheduler.retry;

import dev.tuneforge.scheduler.jobs.Job;
import dev.tuneforge.scheduler.jobs.JobStore;
import dev.tuneforge.scheduler.workflows.WorkflowDriver;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * What a timer does with jobs whose current attempt it gave up on (silent too long, running too long): each
 * goes down the {@link RetryPath} (another attempt after a backoff, or FAILED when none is left), is saved,
 * and its workflow hears of it, since a job out of attempts may end the workflow's wait or the workflow.
 * The caller holds the jobs' row locks in its transaction.
 */
@ApplicationScoped
public class LostAttempts {
    private final JobStore jobs;
    private final RetryPath retryPath;
    private final WorkflowDriver workflows;

    public LostAttempts(JobStore jobs, RetryPath retryPath, WorkflowDriver workflows) {
        this.jobs = jobs;
        this.retryPath = retryPath;
        this.workflows = workflows;
    }

    /** Handles {@code locked}; returns how many. */
    public int lose(List<Job> locked, String reason, String cause, Instant now) {
        for (Job job : locked) {
            retryPath.attemptLost(job, reason, cause, now);
            jobs.save(job);
            workflows.onTimer(job, cause, now);
        }
        return locked.size();
    }
}
