package dev.tuneforge.common.events;

import dev.tuneforge.common.jobs.JobSpec;
import java.util.Objects;
import java.util.UUID;

/**
 * The command a worker executes ({@code job.requested} on the kind's command topic).
 *
 * @param tenant tenant that owns the job; object-store keys are built under it
 * @param submittedBy who submitted the job (API key name), kept for the audit trail
 */
public record JobCommand(UUID jobId, int attempt, String tenant, String submittedBy, JobSpec spec)
        implements JobEventData {
    public JobCommand {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(spec, "spec");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
    }
}
