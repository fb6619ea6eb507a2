package dev.tuneforge.api.models;

import dev.tuneforge.api.storage.ObjectStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The objects under an existing S3 prefix, read in place (only headers and small JSON files are fetched). */
final class S3ModelFolder implements ModelFolder {
    private final ObjectStore store;
    private final String bucket;
    private final String prefix;
    private final Map<String, Long> files = new LinkedHashMap<>();

    S3ModelFolder(ObjectStore store, String bucket, String prefix) {
        this.store = store;
        this.bucket = bucket;
        this.prefix = prefix;
        for (ObjectStore.Stored object : store.list(bucket, prefix)) {
            files.put(object.key().substring(prefix.length()), object.size());
        }
    }

    String bucket() {
        return bucket;
    }

    String key(String path) {
        return prefix + path;
    }

    @Override
    public Map<String, Long> files() {
        return files;
    }

    @Override
    public Optional<byte[]> read(String path, long offset, long length) {
        if (!files.containsKey(path)) {
            return Optional.empty();
        }
        long available = files.get(path) - offset;
        if (available <= 0) {
            return Optional.of(new byte[0]);
        }
        return store.read(bucket, prefix + path, offset, Math.min(length, available));
    }
}
