package dev.tuneforge.worker.handlers;

import dev.tuneforge.worker.storage.CacheFiles;
import dev.tuneforge.worker.storage.ContentCache;
import dev.tuneforge.worker.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * What every handler works with: the bucket, the local cache of models and datasets, a working
 * folder per job, the device policy and (optionally) a CLIP model for the evaluation.
 */
public record WorkerResources(ObjectStore store, ContentCache cache, Path workDir, Devices devices,
                              Optional<Path> clipModel) {

    /** An empty working folder for {@code jobId} (what an earlier delivery left there is gone). */
    public Path freshJobDir(UUID jobId) throws IOException {
        Path dir = jobDir(jobId);
        CacheFiles.deleteTree(dir);
        return Files.createDirectories(dir);
    }

    /** Removes the job's working folder; everything worth keeping is in the bucket by then. */
    public void cleanJobDir(UUID jobId) throws IOException {
        CacheFiles.deleteTree(jobDir(jobId));
    }

    /** Persistent embeddings of training photos for the evaluation. */
    public Path faceEmbeddingCache() {
        return workDir.resolve("face-embeddings");
    }

    private Path jobDir(UUID jobId) {
        return workDir.resolve("jobs").resolve(jobId.toString());
    }
}
