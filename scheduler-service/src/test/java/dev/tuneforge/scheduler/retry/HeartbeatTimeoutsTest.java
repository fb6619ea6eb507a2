package dev.tuneforge.scheduler.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeartbeatTimeoutsTest {
    @Test
    void reasonsNameTheTimeoutTheWayItIsConfigured() {
        assertThat(HeartbeatTimeouts.humanReadable(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(HeartbeatTimeouts.humanReadable(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(HeartbeatTimeouts.humanReadable(Duration.ofMinutes(90))).isEqualTo("1h30m");
    }
}
