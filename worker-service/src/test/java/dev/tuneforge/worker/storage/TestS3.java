package dev.tuneforge.worker.storage;

import dev.tuneforge.infra.test.S3Resource;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The shared embedded S3 server of the test JVM (infra's test platform), outside Quarkus. */
public final class TestS3 {
    private static Map<String, String> settings;

    private TestS3() {
    }

    /** An object store on the embedded server's bucket, with short backoff. */
    public static synchronized ObjectStore store() {
        if (settings == null) {
            settings = new S3Resource().start();
        }
        return new ObjectStore(S3Resource.client(), settings.get("tuneforge.s3.bucket"), 3, Duration.ofMillis(50));
    }

    public static MinioClient client() {
        store();
        return S3Resource.client();
    }

    public static void put(String key, byte[] bytes) throws Exception {
        client().putObject(PutObjectArgs.builder().bucket(settings.get("tuneforge.s3.bucket")).object(key)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
    }

    public static void put(String key, String text) throws Exception {
        put(key, text.getBytes(StandardCharsets.UTF_8));
    }
}
