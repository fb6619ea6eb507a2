package dev.tuneforge.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerIdentityTest {
    @Test
    void configuredIdWins() {
        assertThat(new WorkerIdentity(Optional.of(" gpu-7 ")).id()).isEqualTo("gpu-7");
    }

    @Test
    void defaultIsHostAndProcessId() {
        String pid = Long.toString(ProcessHandle.current().pid());
        assertThat(new WorkerIdentity(Optional.empty()).id()).endsWith("-" + pid).hasSizeGreaterThan(pid.length() + 1);
        assertThat(new WorkerIdentity(Optional.of("  ")).id()).endsWith("-" + pid);
    }
}
