package dev.tuneforge.api.jobs;

import java.util.UUID;

/** The Idempotency-Key was already used for a different request. */
public class IdempotencyConflictException extends RuntimeException {
    private final UUID existingJobId;

    public IdempotencyConflictException(String key, UUID existingJobId) {
        super("Idempotency-Key '" + key + "' was already used for job " + existingJobId
                + " with a different request body; use a new key for a new job");
        this.existingJobId = existingJobId;
    }

    public UUID existingJobId() {
        return existingJobId;
    }
}
