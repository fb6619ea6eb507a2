package dev.tuneforge.scheduler.config;

import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.storage.S3ObjectStore;
import dev.tuneforge.storage.StorageConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Beans for the framework-free classes of {@code common} and {@code storage}. */
public class CommonBeans {
    @Produces
    @Singleton
    EventCodec eventCodec() {
        return new EventCodec();
    }

    @Produces
    @Singleton
    S3ObjectStore objectStore(StorageConfig config) {
        return new S3ObjectStore(config);
    }
}
