package dev.tuneforge.scheduler.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static Backoff backoff(double jitter, double random) {
        return new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(10), 2.0, jitter, () -> random);
    }

    @Test
    void growsExponentiallyFromTheInitialDelay() {
        Backoff noJitter = backoff(0.0, 0.7);
        assertThat(noJitter.delay(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(noJitter.delay(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(noJitter.delay(3)).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void isCappedAtTheMaximumEvenForHugeAttemptCounts() {
        Backoff noJitter = backoff(0.0, 0.7);
        assertThat(noJitter.delay(6)).isEqualTo(Duration.ofMinutes(10));
        assertThat(noJitter.delay(5_000)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void jitterTakesAtMostItsShareOff() {
        assertThat(backoff(0.2, 0.0).delay(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff(0.2, 0.5).delay(2)).isEqualTo(Duration.ofSeconds(54));
        assertThat(backoff(0.2, 0.999_999).delay(2)).isGreaterThanOrEqualTo(Duration.ofSeconds(48));
        assertThat(backoff(0.2, 0.999_999).delay(50)).isLessThanOrEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void rejectsSettingsThatMakeNoSense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofMinutes(1), 2.0, 0.1))
                .hasMessageContaining("initial backoff must be positive");
        assertThatThrownBy(() -> new Backoff(Duration.ofMinutes(2), Duration.ofMinutes(1), 2.0, 0.1))
                .hasMessageContaining("max backoff PT1M is shorter than the initial backoff PT2M");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), 0.5, 0.1))
                .hasMessageContaining("multiplier must be >= 1");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), 2.0, 1.5))
                .hasMessageContaining("jitter must be within [0, 1]");
        assertThatThrownBy(() -> backoff(0.0, 0.0).delay(0)).hasMessageContaining("failure count must be >= 1");
    }
}
