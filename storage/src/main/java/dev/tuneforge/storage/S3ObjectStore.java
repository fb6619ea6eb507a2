package dev.tuneforge.storage;

import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The S3 calls of the API and the scheduler (each makes it a bean). Every call has the configured
 * timeouts and is retried a bounded number of times when the store times out or answers 5xx, so a
 * blip of the store does not fail a registration or a promotion; a missing object or bucket is
 * reported as absent, never retried. Keys come from common's {@code ObjectKeys}.
 */
public class S3ObjectStore {
    private static final int SERVER_ERROR = 500;

    private final MinioClient client;
    private final StorageConfig config;

    public S3ObjectStore(StorageConfig config) {
        this.config = config;
        this.client = MinioClient.builder()
                .endpoint(config.endpoint())
                .region(config.region())
                .credentials(config.accessKey(), config.secretKey())
                .build();
        long connect = config.connectTimeout().toMillis();
        long io = config.ioTimeout().toMillis();
        client.setTimeout(connect, io, io);
    }

    /** An object as listed: its key and size. */
    public record Stored(String key, long size) {
    }

    public String bucket() {
        return config.bucket();
    }

    /** {@code s3://bucket/key}, the form locations take in events and views. */
    public String location(String key) {
        return "s3://" + config.bucket() + "/" + key;
    }

    public void upload(String key, Path file, String contentType) {
        call("upload " + key, () -> client.uploadObject(UploadObjectArgs.builder()
                .bucket(config.bucket()).object(key).filename(file.toString()).contentType(contentType).build()));
    }

    /** Server-side copy: the bytes never pass through the API. */
    public void copy(String sourceBucket, String sourceKey, String targetKey) {
        call("copy " + sourceBucket + "/" + sourceKey, () -> {
            try {
                client.copyObject(CopyObjectArgs.builder()
                        .bucket(config.bucket()).object(targetKey)
                        .source(CopySource.builder().bucket(sourceBucket).object(sourceKey).build()).build());
            } catch (ErrorResponseException e) {
                if (absent(e)) {
                    throw new MissingObjectException(sourceBucket, sourceKey);
                }
                throw e;
            }
        });
    }

    /** Every object under {@code prefix} of {@code bucket}; empty when the bucket does not exist. */
    public List<Stored> list(String bucket, String prefix) {
        return call("list " + bucket + "/" + prefix, () -> {
            List<Stored> found = new ArrayList<>();
            try {
                for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                        .bucket(bucket).prefix(prefix).recursive(true).build())) {
                    Item item = result.get();
                    if (!item.isDir()) {
                        found.add(new Stored(item.objectName(), item.size()));
                    }
                }
            } catch (ErrorResponseException e) {
                if (!absent(e)) {
                    throw e;
                }
            }
            return found;
        });
    }

    /** Up to {@code length} bytes of an object from {@code offset}; empty when the object does not exist. */
    public Optional<byte[]> read(String bucket, String key, long offset, long length) {
        return call("read " + bucket + "/" + key, () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder()
                    .bucket(bucket).object(key).offset(offset).length(length).build())) {
                return Optional.of(in.readAllBytes());
            } catch (ErrorResponseException e) {
                if (absent(e)) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    public boolean exists(String key) {
        return call("stat " + key, () -> {
            try {
                client.statObject(StatObjectArgs.builder().bucket(config.bucket()).object(key).build());
                return true;
            } catch (ErrorResponseException e) {
                if (absent(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Deletes each key (deleting a missing object is not an error). */
    public void delete(List<String> keys) {
        for (String key : keys) {
            call("delete " + key, () -> client.removeObject(RemoveObjectArgs.builder()
                    .bucket(config.bucket()).object(key).build()));
        }
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private interface VoidCall {
        void run() throws Exception;
    }

    private void call(String what, VoidCall action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    private <T> T call(String what, Call<T> action) {
        long pause = config.retryBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return action.run();
            } catch (MissingObjectException e) {
                throw e;
            } catch (Exception e) {
                if (attempt >= config.maxAttempts() || !transientFault(e)) {
                    throw new StorageException("object store: " + what + " failed (attempt " + attempt + ")", e);
                }
                sleep(pause);
                pause *= 2;
            }
        }
    }

    /** Timeouts, broken connections and 5xx answers may pass; 4xx answers will not. */
    private static boolean transientFault(Exception e) {
        if (e instanceof ErrorResponseException response) {
            return response.response() != null && response.response().code() >= SERVER_ERROR;
        }
        return e instanceof IOException;
    }

    private static boolean absent(ErrorResponseException e) {
        String code = e.errorResponse().code();
        return "NoSuchKey".equals(code) || "NoSuchBucket".equals(code) || "NoSuchObject".equals(code);
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry an object-store call", e);
        }
    }
}
