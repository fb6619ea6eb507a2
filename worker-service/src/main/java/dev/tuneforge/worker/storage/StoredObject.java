package dev.tuneforge.worker.storage;

/** One object as a listing shows it: key, ETag (a content hash on every S3 server) and size. */
public record StoredObject(String key, String etag, long size) {
}
