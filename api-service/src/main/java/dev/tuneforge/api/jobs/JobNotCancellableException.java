package dev.tuneforge.api.jobs;

import dev.tuneforge.common.jobs.JobStatus;
import java.util.UUID;

/** Cancel of a job that already ended. */
public class JobNotCancellableException extends RuntimeException {
    private final JobStatus status;

    public JobNotCancellableException(UUID id, JobStatus status) {
        super("job " + id + " is already " + status + " and cannot be cancelled");
        this.status = status;
    }

    public JobStatus status() {
        return status;
    }
}
