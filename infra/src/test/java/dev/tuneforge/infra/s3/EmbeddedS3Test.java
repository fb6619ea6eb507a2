package dev.tuneforge.infra.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedS3Test {
    private static final String BUCKET = EmbeddedS3.BUCKET;

    @TempDir
    Path dir;

    @Test
    void putGetListDeleteWithTheMinioClient() throws Exception {
        try (EmbeddedS3 s3 = new EmbeddedS3(dir.resolve("s3"), 0)) {
            s3.start();
            MinioClient client = s3.client();
            put(client, "tenants/t1/datasets/d1/captions/a.txt", "a photo of sks person".getBytes(StandardCharsets.UTF_8));
            put(client, "tenants/t1/datasets/d1/captions/b.txt", "sks person smiling".getBytes(StandardCharsets.UTF_8));
            put(client, "tenants/t2/datasets/d9/captions/c.txt", "other tenant".getBytes(StandardCharsets.UTF_8));

            assertThat(new String(get(client, "tenants/t1/datasets/d1/captions/a.txt"), StandardCharsets.UTF_8))
                    .isEqualTo("a photo of sks person");
            assertThat(list(client, "tenants/t1/")).containsExactly(
                    "tenants/t1/datasets/d1/captions/a.txt", "tenants/t1/datasets/d1/captions/b.txt");

            client.removeObject(RemoveObjectArgs.builder().bucket(BUCKET).object("tenants/t1/datasets/d1/captions/a.txt").build());
            assertThat(list(client, "tenants/t1/")).containsExactly("tenants/t1/datasets/d1/captions/b.txt");
            assertThatThrownBy(() -> client.statObject(StatObjectArgs.builder().bucket(BUCKET).object("tenants/t1/datasets/d1/captions/a.txt").build()))
                    .isInstanceOf(ErrorResponseException.class)
                    .hasMessageContaining("does not exist");
        }
    }

    @Test
    void multipartUploadOfALargeObjectSurvivesARestart() throws Exception {
        byte[] checkpoint = new byte[12 * 1024 * 1024 + 123];
        new Random(1126).nextBytes(checkpoint);
        String key = "tenants/t1/jobs/j1/checkpoints/step-100/pytorch_lora_weights.safetensors";
        int port;
        try (EmbeddedS3 first = new EmbeddedS3(dir.resolve("s3"), 0)) {
            first.start();
            port = first.port();
            // Unknown length with a 5 MiB part size: the client must use a multipart upload.
            first.client().putObject(PutObjectArgs.builder().bucket(BUCKET).object(key)
                    .stream(new ByteArrayInputStream(checkpoint), -1, 5 * 1024 * 1024).build());
        }
        try (EmbeddedS3 second = new EmbeddedS3(dir.resolve("s3"), port)) {
            second.start();
            assertThat(get(second.client(), key)).isEqualTo(checkpoint);
        }
    }

    @Test
    void requestsWithAWrongSecretAreRejected() throws Exception {
        try (EmbeddedS3 s3 = new EmbeddedS3(dir.resolve("s3"), 0)) {
            s3.start();
            MinioClient intruder = MinioClient.builder().endpoint(s3.endpoint()).region(EmbeddedS3.REGION)
                    .credentials(EmbeddedS3.ACCESS_KEY, "not-the-secret").build();
            assertThatThrownBy(() -> put(intruder, "x.txt", new byte[] {1}))
                    .isInstanceOfSatisfying(ErrorResponseException.class,
                            e -> assertThat(e.errorResponse().code()).isEqualTo("SignatureDoesNotMatch"));
        }
    }

    private static void put(MinioClient client, String key, byte[] content) throws Exception {
        client.putObject(PutObjectArgs.builder().bucket(BUCKET).object(key)
                .stream(new ByteArrayInputStream(content), content.length, -1).build());
    }

    private static byte[] get(MinioClient client, String key) throws Exception {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(BUCKET).object(key).build())) {
            return in.readAllBytes();
        }
    }

    private static List<String> list(MinioClient client, String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : client.listObjects(ListObjectsArgs.builder().bucket(BUCKET).prefix(prefix).recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }
}
