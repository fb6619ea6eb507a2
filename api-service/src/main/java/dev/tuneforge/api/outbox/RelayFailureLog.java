package dev.tuneforge.api.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides what the relay logs during an outage: the first failure, a changed error, a reminder at
 * most once per interval, and the recovery. The relay retries every few seconds; its log must not.
 */
final class RelayFailureLog {
    private final Duration interval;
    private int failures;
    private String lastLoggedError;
    private Instant lastLoggedAt;

    RelayFailureLog(Duration interval) {
        this.interval = interval;
    }

    /** The warning to log for this failed pass, if any. */
    Optional<String> failed(String error, Instant now) {
        failures++;
        boolean first = failures == 1;
        boolean changed = !error.equals(lastLoggedError);
        boolean due = lastLoggedAt == null || !now.isBefore(lastLoggedAt.plus(interval));
        if (!first && !changed && !due) {
            return Optional.empty();
        }
        lastLoggedError = error;
        lastLoggedAt = now;
        return Optional.of(first
                ? "outbox relay cannot publish, will keep retrying with backoff: " + error
                : "outbox relay still cannot publish after " + failures + " attempts: " + error);
    }

    /** The all-clear to log after a pass that published everything it took, if there was an outage. */
    Optional<String> succeeded() {
        if (failures == 0) {
            return Optional.empty();
        }
        String message = "outbox relay publishes again after " + failures + " failed attempts";
        failures = 0;
        lastLoggedError = null;
        lastLoggedAt = null;
        return Optional.of(message);
    }

    int failures() {
        return failures;
    }
}
