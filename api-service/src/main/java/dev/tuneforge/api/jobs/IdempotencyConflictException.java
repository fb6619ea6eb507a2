package dev.tuneforge.api.jobs;

import java.util.UUID;

/** The Idempotency-Key was already used for a different request. */
public class IdempotencyConflictException extends RuntimeException {
    private final String what;
    private final UUID existingId;

    public IdempotencyConflictException(String key, String what, UUID existingId) {
        super("Idempotency-Key '" + key + "' was already used for " + what + " " + existingId
                + " with a different request body; use a new key for a new " + what);
        this.what = what;
        this.existingId = existingId;
    }

    /** What the key created: "job" or "workflow" (the problem names its id under {@code <what>Id}). */
    public String what() {
        return what;
    }

    public UUID existingId() {
        return existingId;
    }
}
