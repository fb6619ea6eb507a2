package dev.tuneforge.api.workflows;

import dev.tuneforge.common.jobs.JobStatus;
import java.util.List;

/** A workflow step's state as the API shows it: derived from the step's jobs, the record of what ran. */
public enum StepStatus {
    /** No job yet: waiting for the steps it depends on. */
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** From the step's jobs; a step with none yet keeps its recorded state (PENDING, or CANCELLED with its workflow). */
    public static StepStatus of(List<JobStatus> jobs, String recorded) {
        if (jobs.isEmpty()) {
            return CANCELLED.name().equals(recorded) ? CANCELLED : PENDING;
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
