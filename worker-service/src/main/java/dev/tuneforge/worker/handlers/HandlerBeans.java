package dev.tuneforge.worker.handlers;

import dev.tuneforge.worker.config.WorkerConfig;
import dev.tuneforge.worker.storage.ContentCache;
import dev.tuneforge.worker.storage.ObjectStore;
import dev.tuneforge.worker.storage.StorageBeans;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** The handlers' shared resources as a bean. */
public class HandlerBeans {

    @Produces
    @Singleton
    WorkerResources resources(ObjectStore store, ContentCache cache, WorkerConfig config) {
        return new WorkerResources(store, cache, StorageBeans.workDir(config), Devices.of(config.device()),
                config.clipModel().map(Path::of));
    }
}
