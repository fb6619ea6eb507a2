package dev.tuneforge.worker.storage;

import dev.tuneforge.common.storage.ObjectKeys;
import dev.tuneforge.common.storage.SafePaths;
import dev.tuneforge.storage.StorageConfig;
import dev.tuneforge.worker.runner.BadInputException;
import dev.tuneforge.worker.runner.RetryableJobException;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.ServerException;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The worker's view of the bucket. Every call has the client's timeouts and is retried with
 * exponential backoff on IO errors, timeouts and 5xx answers; when the attempts are spent the job
 * is released for a later delivery ({@link RetryableJobException}). An object that should exist
 * and does not (a dataset or model deleted under a job) is bad input ({@link BadInputException}
 * naming the key). Every path derived from a key is checked to stay inside its target folder.
 */
public final class ObjectStore {

    private static final Logger LOG = Logger.getLogger(ObjectStore.class);
    private static final Set<String> MISSING = Set.of("NoSuchKey", "NoSuchBucket");

    private final MinioClient client;
    private final String bucket;
    private final int attempts;
    private final Duration backoff;

    public ObjectStore(MinioClient client, String bucket, int attempts, Duration backoff) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be >= 1, got " + attempts);
        }
        this.client = client;
        this.bucket = bucket;
        this.attempts = attempts;
        this.backoff = backoff;
    }

    /** A store for {@code settings}: a MinIO client with the configured timeouts. */
    public static ObjectStore connect(StorageConfig settings) {
        MinioClient client = MinioClient.builder().endpoint(settings.endpoint()).region(settings.region())
                .credentials(settings.accessKey(), settings.secretKey()).build();
        long io = settings.ioTimeout().toMillis();
        client.setTimeout(settings.connectTimeout().toMillis(), io, io);
        return new ObjectStore(client, settings.bucket(), settings.maxAttempts(), settings.retryBackoff());
    }

    /** The location of {@code key} as events carry it: {@code s3://<bucket>/<key>}. */
    public String location(String key) {
        return "s3://" + bucket + "/" + key;
    }

    /** Every object under {@code prefix} (recursively), sorted by key; empty when there is none. */
    public List<StoredObject> list(String prefix) {
        return call("list", prefix, () -> {
            List<StoredObject> found = new ArrayList<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .recursive(true).build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    found.add(new StoredObject(item.objectName(), stripQuotes(item.etag()), item.size()));
                }
            }
            found.sort(Comparator.comparing(StoredObject::key));
            return found;
        });
    }

    /** Whether {@code key} exists. */
    public boolean exists(String key) {
        return call("stat", key, () -> {
            try {
                client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
                return true;
            } catch (ErrorResponseException e) {
                if (MISSING.contains(e.errorResponse().code())) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Downloads {@code key} to {@code target} (replacing it); a missing object is bad input naming the key. */
    public void download(String key, Path target) {
        call("download", key, () -> {
            Files.createDirectories(target.toAbsolutePath().getParent());
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return null;
        });
    }

    /**
     * Downloads {@code objects}, all under {@code prefix}, into {@code dir} at their keys relative to
     * the prefix. A key that would land outside {@code dir} is refused before anything is written.
     */
    public void download(String prefix, List<StoredObject> objects, Path dir) {
        List<Path> targets = new ArrayList<>();
        for (StoredObject object : objects) {
            targets.add(inside(prefix, object.key(), dir));
        }
        for (int i = 0; i < objects.size(); i++) {
            download(objects.get(i).key(), targets.get(i));
        }
    }

    /** Uploads one file to {@code key}. */
    public void upload(Path file, String key) {
        call("upload", key, () -> client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key)
                .filename(file.toString()).build()));
    }

    /**
     * Uploads every file of {@code dir} under {@code prefix} at its relative path, the file named
     * {@code last} (e.g. a checkpoint's {@code manifest.json}; null for none) after all others: until
     * it is there, readers do not take the folder for complete. Returns the uploaded keys in upload order.
     */
    public List<String> uploadDirectory(Path dir, String prefix, String last) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted(Comparator
                    .comparing((Path p) -> dir.relativize(p).toString().equals(last))
                    .thenComparing(p -> dir.relativize(p).toString())).toList();
        }
        List<String> keys = new ArrayList<>();
        for (Path file : files) {
            String relative = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            String key = ObjectKeys.child(prefix, relative);
            upload(file, key);
            keys.add(key);
        }
        return keys;
    }

    /** Removes {@code key}; removing a missing object is not an error. */
    public void delete(String key) {
        call("delete", key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    private static Path inside(String prefix, String key, Path dir) {
        if (!key.startsWith(prefix) || key.length() == prefix.length()) {
            throw new BadInputException("object key '" + key + "' is not a file under '" + prefix + "'");
        }
        try {
            return SafePaths.resolveInside(dir, key.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("object key '" + key + "' is refused: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    private <T> T call(String what, String key, Call<T> call) {
        Duration wait = backoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (ErrorResponseException e) {
                if (MISSING.contains(e.errorResponse().code())) {
                    throw new BadInputException("object store: " + location(key) + " does not exist ("
                            + e.errorResponse().code() + ")", e);
                }
                if (e.response() == null || e.response().code() < 500) {
                    throw fault(what, key, attempt, e);
                }
                failedAttempt(what, key, attempt, e);
            } catch (IOException | ServerException | InsufficientDataException e) {
                failedAttempt(what, key, attempt, e);
            } catch (BadInputException | RetryableJobException e) {
                throw e;
            } catch (Exception e) {
                throw fault(what, key, attempt, e);
            }
            sleep(wait, what, key);
            wait = wait.multipliedBy(2);
        }
    }

    private void failedAttempt(String what, String key, int attempt, Exception e) {
        if (attempt >= attempts) {
            throw fault(what, key, attempt, e);
        }
        LOG.warnf("object store: %s %s failed (attempt %d of %d), retrying: %s", what, location(key), attempt,
                attempts, e.toString());
    }

    private RetryableJobException fault(String what, String key, int attempt, Exception e) {
        return new RetryableJobException("object store: " + what + " " + location(key) + " failed after " + attempt
                + (attempt == 1 ? " attempt: " : " attempts: ") + e, e);
    }

    private void sleep(Duration wait, String what, String key) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableJobException("object store: " + what + " " + location(key) + " interrupted", e);
        }
    }

    private static String stripQuotes(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }
}
