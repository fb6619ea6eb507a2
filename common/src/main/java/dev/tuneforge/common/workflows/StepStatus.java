package dev.tuneforge.common.workflows;

import dev.tuneforge.common.jobs.JobStatus;
import java.util.List;

/**
 * A workflow step's state ({@code workflow_steps.status}, and the API's view of it), derived from the step's jobs,
 * the record of what ran. The scheduler keeps the table's value with {@link #ofJobs}; the API shows {@link #of}.
 */
public enum StepStatus {
    /** No job yet: waiting for the steps it depends on. */
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    /** Never ran: its workflow ended first (e.g. no checkpoint met the constraints, so no final generate). */
    SKIPPED;

    /**
     * From the step's jobs. A step with none is PENDING while its workflow runs, CANCELLED when the
     * workflow's cancel recorded it so, SKIPPED when the workflow ended otherwise.
     */
    public static StepStatus of(List<JobStatus> jobs, String recorded, boolean workflowRunning) {
        if (jobs.isEmpty()) {
            if (CANCELLED.name().equals(recorded)) {
                return CANCELLED;
            }
            return workflowRunning ? PENDING : SKIPPED;
        }
        return ofJobs(jobs);
    }

    /** A step that has jobs: RUNNING while one has not ended, else its worst outcome (CANCELLED, FAILED, SUCCEEDED). */
    public static StepStatus ofJobs(List<JobStatus> jobs) {
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("a step without jobs has no status from them");
        }
        if (jobs.stream().anyMatch(s -> !s.isTerminal())) {
            return RUNNING;
        }
        if (jobs.contains(JobStatus.CANCELLED)) {
            return CANCELLED;
        }
        return jobs.contains(JobStatus.FAILED) ? FAILED : SUCCEEDED;
    }
}
