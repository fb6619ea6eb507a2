package dev.tuneforge.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An unreachable store: every call fails as an infrastructure fault after its bounded retries. */
class S3ObjectStoreTest {

    private static StorageConfig unreachable(int port, int attempts) {
        return new StorageConfig() {
            public String endpoint() {
                return "http://127.0.0.1:" + port;
            }

            public String accessKey() {
                return "k";
            }

            public String secretKey() {
                return "s";
            }

            public String bucket() {
                return "tuneforge";
            }

            public String region() {
                return "us-east-1";
            }

            public Duration connectTimeout() {
                return Duration.ofMillis(500);
            }

            public Duration ioTimeout() {
                return Duration.ofMillis(500);
            }

            public int maxAttempts() {
                return attempts;
            }

            public Duration retryBackoff() {
                return Duration.ofMillis(1);
            }
        };
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aRefusedConnectionIsRetriedThenReportedAsAStorageFault() throws Exception {
        S3ObjectStore store = new S3ObjectStore(unreachable(closedPort(), 3));
        assertThatThrownBy(() -> store.list("tuneforge", "tenants/t/models/m/"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("list tuneforge/tenants/t/models/m/")
                .hasMessageContaining("attempt 3");
        assertThatThrownBy(() -> store.delete(List.of("a/b")))
                .isInstanceOf(StorageException.class).hasMessageContaining("attempt 3");
    }

    @Test
    void locationsAreS3UrisInTheConfiguredBucket() throws Exception {
        assertThat(new S3ObjectStore(unreachable(closedPort(), 1)).location("tenants/t/models/m/"))
                .isEqualTo("s3://tuneforge/tenants/t/models/m/");
    }
}
