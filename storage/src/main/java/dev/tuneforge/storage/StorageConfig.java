package dev.tuneforge.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The object store, under {@code tuneforge.s3} (the names every service shares; {@code ./tuneforge up}
 * and the infra test resources set endpoint, keys and bucket).
 */
@ConfigMapping(prefix = "tuneforge.s3")
public interface StorageConfig {
    @WithDefault("http://127.0.0.1:19000")
    String endpoint();

    @WithDefault("tuneforge")
    String accessKey();

    @WithDefault("tuneforge-secret")
    String secretKey();

    @WithDefault("tuneforge")
    String bucket();

    /** S3 servers that sign V4 need a region even when they ignore it. */
    @WithDefault("us-east-1")
    String region();

    /** Connect timeout of every call. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Read/write timeout of every call (an idle socket for this long fails the call). */
    @WithDefault("60s")
    Duration ioTimeout();

    /** Tries per call when the store times out or answers 5xx; 1 = no retry. */
    @WithDefault("3")
    int maxAttempts();

    /** Pause before the second try; doubled before each further one. */
    @WithDefault("200ms")
    Duration retryBackoff();
}
