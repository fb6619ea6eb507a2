package dev.tuneforge.api.jobs;

import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Creates something once per Idempotency-Key (jobs, workflows): a repeat of the same request answers with what
 * the first one created, a different request under the same key is refused, and of two concurrent first tries
 * the unique constraint lets one insert win while the other answers as its replay.
 *
 * @param what what is created, for the conflict message ("job", "workflow")
 * @param constraint the unique constraint on (tenant, key) that a losing concurrent insert violates
 */
public record IdempotentCreation(String what, String constraint) {

    /** What an earlier request under the key created, and its request's fingerprint. */
    public record Earlier<T>(T value, UUID id, String fingerprint) {
    }

    /** The value and whether this call created it (false: a replay). */
    public record Outcome<T>(T value, boolean created) {
    }

    /**
     * @param earlier looks the key up (in a transaction of its own)
     * @param create creates the value in a transaction of its own; its insert violates {@link #constraint()} if a
     *     concurrent request took the key
     * @throws IdempotencyConflictException the key was used for another request
     */
    public <T> Outcome<T> once(String key, String fingerprint, Supplier<Optional<Earlier<T>>> earlier,
            Supplier<T> create) {
        Optional<Outcome<T>> replay = replay(key, fingerprint, earlier);
        if (replay.isPresent()) {
            return replay.get();
        }
        try {
            return new Outcome<>(QuarkusTransaction.requiringNew().call(create::get), true);
        } catch (RuntimeException e) {
            if (!violates(e)) {
                throw e;
            }
            // A concurrent request with the same key won the insert: answer as its replay.
            return replay(key, fingerprint, earlier).orElseThrow(() -> e);
        }
    }

    private <T> Optional<Outcome<T>> replay(String key, String fingerprint, Supplier<Optional<Earlier<T>>> earlier) {
        return QuarkusTransaction.requiringNew().call(earlier::get).map(existing -> {
            if (!fingerprint.equals(existing.fingerprint())) {
                throw new IdempotencyConflictException(key, what, existing.id());
            }
            return new Outcome<>(existing.value(), false);
        });
    }

    private boolean violates(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException cve && constraint.equals(cve.getConstraintName())) {
                return true;
            }
        }
        return false;
    }
}
