package dev.tuneforge.scheduler.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff, bounded and jittered: the n-th delay is {@code initial · multiplier^(n-1)},
 * capped at {@code max}, minus a random share of up to {@code jitter} of it, so that jobs lost
 * together (a worker node died) do not all come back at the same instant.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final double multiplier;
    private final double jitter;
    private final DoubleSupplier random;

    public Backoff(Duration initial, Duration max, double multiplier, double jitter) {
        this(initial, max, multiplier, jitter, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random values in [0, 1) */
    Backoff(Duration initial, Duration max, double multiplier, double jitter, DoubleSupplier random) {
        require(!initial.isNegative() && !initial.isZero(), "initial backoff must be positive, was " + initial);
        require(max.compareTo(initial) >= 0, "max backoff " + max + " is shorter than the initial backoff " + initial);
        require(multiplier >= 1.0, "backoff multiplier must be >= 1, was " + multiplier);
        require(jitter >= 0.0 && jitter <= 1.0, "backoff jitter must be within [0, 1], was " + jitter);
        this.initial = initial;
        this.max = max;
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.random = random;
    }

    /** The delay after the {@code n}-th failure (n ≥ 1). */
    public Duration delay(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("failure count must be >= 1, was " + n);
        }
        // Doubles cannot overflow here: the power saturates to infinity and the cap takes over.
        double exponential = initial.toMillis() * Math.pow(multiplier, n - 1);
        double capped = Math.min(exponential, max.toMillis());
        return Duration.ofMillis(Math.round(capped * (1.0 - jitter * random.getAsDouble())));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
