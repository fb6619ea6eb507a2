package dev.tuneforge.worker.storage;

import dev.tuneforge.storage.StorageConfig;
import dev.tuneforge.worker.config.WorkerConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;

/** The object store and the local content cache as beans for the job handlers. */
public class StorageBeans {

    @Produces
    @Singleton
    ObjectStore objectStore(StorageConfig settings) {
        return ObjectStore.connect(settings);
    }

    @Produces
    @Singleton
    ContentCache contentCache(ObjectStore store, WorkerConfig config) throws IOException {
        return new ContentCache(store, cacheDir(config), ByteSize.parse("tuneforge.worker.cache.max-size",
                config.cache().maxSize()));
    }

    /** {@code tuneforge.worker.cache.dir}, default {@code ${user.home}/.cache/tuneforge/worker}. */
    public static Path cacheDir(WorkerConfig config) {
        return config.cache().dir().map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache", "tuneforge", "worker"));
    }

    /** {@code tuneforge.worker.work-dir}, default {@code ${user.home}/.cache/tuneforge/work}. */
    public static Path workDir(WorkerConfig config) {
        return config.workDir().map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache", "tuneforge", "work"));
    }
}
