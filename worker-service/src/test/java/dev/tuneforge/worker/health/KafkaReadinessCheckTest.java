package dev.tuneforge.worker.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** Without a broker the worker is not ready, and the check says where it looked. */
class KafkaReadinessCheckTest {
    @Test
    void downWhileNoBrokerAnswers() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        KafkaReadinessCheck check = new KafkaReadinessCheck("localhost:" + closedPort, "test");
        try {
            HealthCheckResponse response = check.call();
            assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(response.getData()).get().satisfies(data -> {
                assertThat(data).containsEntry("bootstrap.servers", "localhost:" + closedPort);
                assertThat(data.get("error").toString()).isNotBlank();
            });
        } finally {
            check.close();
        }
    }
}
