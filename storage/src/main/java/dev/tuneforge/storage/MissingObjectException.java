package dev.tuneforge.storage;

/** An object the request relies on is not in the store (a source deleted meanwhile): bad input, not a fault. */
public class MissingObjectException extends RuntimeException {
    public MissingObjectException(String bucket, String key) {
        super("s3://" + bucket + "/" + key + " does not exist (deleted while it was being registered?)");
    }
}
