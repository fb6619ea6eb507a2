package dev.tuneforge.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RelayFailureLogTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final RelayFailureLog log = new RelayFailureLog(Duration.ofMinutes(1));

    @Test
    void warnsOnceForARepeatedErrorWithinTheInterval() {
        assertThat(log.failed("broker down", T0)).hasValueSatisfying(m -> assertThat(m).contains("broker down"));
        assertThat(log.failed("broker down", T0.plusSeconds(5))).isEmpty();
        assertThat(log.failed("broker down", T0.plusSeconds(59))).isEmpty();
        assertThat(log.failures()).isEqualTo(3);
    }

    @Test
    void remindsAfterTheIntervalAndWhenTheErrorChanges() {
        log.failed("broker down", T0);
        assertThat(log.failed("broker down", T0.plusSeconds(60)))
                .hasValueSatisfying(m -> assertThat(m).contains("after 2 attempts"));
        assertThat(log.failed("database down", T0.plusSeconds(61)))
                .hasValueSatisfying(m -> assertThat(m).contains("database down"));
    }

    @Test
    void reportsRecoveryOnlyAfterAnOutage() {
        assertThat(log.succeeded()).isEmpty();
        log.failed("broker down", T0);
        log.failed("broker down", T0.plusSeconds(1));
        assertThat(log.succeeded()).hasValueSatisfying(m -> assertThat(m).contains("after 2 failed attempts"));
        assertThat(log.failures()).isZero();
        assertThat(log.failed("broker down", T0.plusSeconds(2))).isPresent();
    }
}
