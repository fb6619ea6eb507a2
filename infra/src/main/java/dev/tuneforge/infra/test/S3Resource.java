package dev.tuneforge.infra.test;

import dev.tuneforge.infra.Component;
import dev.tuneforge.infra.PlatformEnv;
import dev.tuneforge.infra.s3.EmbeddedS3;
import io.minio.MinioClient;
import java.util.Set;

/**
 * An S3 server with the bucket {@code tuneforge} for {@code @QuarkusTest}s; sets
 * {@code tuneforge.s3.endpoint}, {@code .access-key}, {@code .secret-key} and {@code .bucket}.
 */
public class S3Resource extends PlatformResource {
    public S3Resource() {
        super(Set.of(Component.S3));
    }

    public static String endpoint() {
        return SharedPlatform.env().get(PlatformEnv.Setting.TUNEFORGE_S3_ENDPOINT);
    }

    /** A MinIO client with the platform's credentials, for arranging and checking objects in tests. */
    public static MinioClient client() {
        return EmbeddedS3.client(endpoint());
    }
}
