package dev.tuneforge.api.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The objects one registration writes, remembered so that a failure half-way (the store, the
 * database) deletes them again: a dataset or model is either complete with its row, or gone.
 */
public final class ObjectWrites {
    private static final Logger LOG = Logger.getLogger(ObjectWrites.class);

    private final ObjectStore store;
    private final List<String> written = new ArrayList<>();

    public ObjectWrites(ObjectStore store) {
        this.store = store;
    }

    public void upload(String key, Path file, String contentType) {
        // Remember the key first: an upload that failed after the store took the bytes leaves an object too.
        written.add(key);
        store.upload(key, file, contentType);
    }

    public void copy(String sourceBucket, String sourceKey, String targetKey) {
        written.add(targetKey);
        store.copy(sourceBucket, sourceKey, targetKey);
    }

    /** Deletes everything written so far; a failure here is logged, the original failure is what the caller reports. */
    public void rollBack() {
        try {
            store.delete(written);
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not delete %d objects of a failed registration: %s", written.size(), written);
        }
    }
}
