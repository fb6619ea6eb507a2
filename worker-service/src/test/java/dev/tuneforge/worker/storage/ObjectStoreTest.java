package dev.tuneforge.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.worker.runner.BadInputException;
import dev.tuneforge.worker.runner.RetryableJobException;
import io.minio.MinioClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The object store against the embedded S3 server. */
class ObjectStoreTest {

    private final ObjectStore store = TestS3.store();
    private final String prefix = "tests/" + UUID.randomUUID() + "/";

    @Test
    void uploadsAFolderWithTheManifestLastAndDownloadsItBack(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("source");
        Files.createDirectories(source.resolve("sub"));
        Files.writeString(source.resolve("manifest.json"), "{}");
        Files.writeString(source.resolve("z.bin"), "zz");
        Files.writeString(source.resolve("sub/a.txt"), "a");
        List<String> keys = store.uploadDirectory(source, prefix, "manifest.json");
        assertThat(keys).containsExactly(prefix + "sub/a.txt", prefix + "z.bin", prefix + "manifest.json");

        List<StoredObject> listed = store.list(prefix);
        assertThat(listed).extracting(StoredObject::key)
                .containsExactly(prefix + "manifest.json", prefix + "sub/a.txt", prefix + "z.bin");
        assertThat(listed).allSatisfy(o -> assertThat(o.etag()).isNotBlank());
        store.download(prefix, listed, dir.resolve("copy"));
        assertThat(dir.resolve("copy/sub/a.txt")).hasContent("a");
        assertThat(dir.resolve("copy/z.bin")).hasContent("zz");
        assertThat(store.exists(prefix + "z.bin")).isTrue();
        store.delete(prefix + "z.bin");
        assertThat(store.exists(prefix + "z.bin")).isFalse();
    }

    @Test
    void aMissingObjectIsBadInputNamingTheKey(@TempDir Path dir) {
        assertThatThrownBy(() -> store.download(prefix + "gone.safetensors", dir.resolve("x")))
                .isInstanceOf(BadInputException.class).hasMessageContaining(prefix + "gone.safetensors")
                .hasMessageContaining("does not exist");
    }

    @Test
    void aKeyThatWouldLeaveTheTargetFolderIsRefusedBeforeAnyDownload(@TempDir Path dir) {
        List<StoredObject> listing = List.of(new StoredObject(prefix + "ok.txt", "e", 1),
                new StoredObject(prefix + "../../escape.txt", "e", 1));
        assertThatThrownBy(() -> store.download(prefix, listing, dir.resolve("target")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("../../escape.txt");
        assertThat(dir.resolve("target")).doesNotExist();
        assertThat(dir.resolve("escape.txt")).doesNotExist();
    }

    @Test
    void anUnreachableServerIsRetriedThenReleasesTheJob() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        MinioClient dead = MinioClient.builder().endpoint("http://127.0.0.1:" + port).region("us-east-1")
                .credentials("a", "b").build();
        ObjectStore unreachable = new ObjectStore(dead, "tuneforge", 3, Duration.ofMillis(10));
        assertThatThrownBy(() -> unreachable.list(prefix)).isInstanceOf(RetryableJobException.class)
                .hasMessageContaining("after 3 attempts");
    }
}
