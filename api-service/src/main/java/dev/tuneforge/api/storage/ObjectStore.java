package dev.tuneforge.api.storage;

import dev.tuneforge.storage.S3ObjectStore;
import dev.tuneforge.storage.StorageConfig;
import jakarta.inject.Singleton;

/** The API's object store: the shared S3 client with the service's {@code tuneforge.s3} settings. */
@Singleton
public class ObjectStore extends S3ObjectStore {
    ObjectStore(StorageConfig config) {
        super(config);
    }
}
