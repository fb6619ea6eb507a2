package dev.tuneforge.api.assets;

/** One object a dataset or model consists of: the file's path in the upload or model folder, its key, its size. */
public record StoredFile(String path, String key, long bytes) {
}
