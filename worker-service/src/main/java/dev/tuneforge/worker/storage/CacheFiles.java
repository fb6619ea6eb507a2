package dev.tuneforge.worker.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.io.file.PathUtils;

/** Folder helpers for the worker's local copies. */
public final class CacheFiles {
    private CacheFiles() {
    }

    /** Deletes {@code dir} and everything in it; a missing folder is fine. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        PathUtils.deleteDirectory(dir);
    }

    /** Bytes of the regular files under {@code dir}. */
    static long size(Path dir) throws IOException {
        return PathUtils.sizeOfDirectory(dir);
    }
}
