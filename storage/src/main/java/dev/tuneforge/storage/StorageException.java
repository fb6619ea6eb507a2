package dev.tuneforge.storage;

/** The object store failed (unreachable, timed out, 5xx after the retries): an infrastructure fault, not bad input. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
