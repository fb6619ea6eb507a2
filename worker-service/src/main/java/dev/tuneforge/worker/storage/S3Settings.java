package dev.tuneforge.worker.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The object store ({@code tuneforge.s3.*}, the names every service shares). The defaults are those
 * of {@code ./tuneforge up}'s embedded S3 server; the test resources and {@code platform.env} set them.
 */
@ConfigMapping(prefix = "tuneforge.s3")
public interface S3Settings {
    @WithDefault("http://127.0.0.1:19000")
    String endpoint();

    @WithDefault("tuneforge")
    String accessKey();

    @WithDefault("tuneforge-secret")
    String secretKey();

    @WithDefault("tuneforge")
    String bucket();

    /** Region the client signs with; S3-compatible servers answer any. */
    @WithDefault("us-east-1")
    String region();

    /** TCP connect timeout of one call. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** Longest silence while reading or writing one call's body (a stalled transfer fails, then is retried). */
    @WithDefault("60s")
    Duration ioTimeout();

    /** Attempts per call on an IO error, a timeout or a 5xx answer, before the job is released for a retry. */
    @WithDefault("4")
    int attempts();

    /** Wait before the second attempt; doubled before each further one. */
    @WithDefault("500ms")
    Duration backoff();
}
