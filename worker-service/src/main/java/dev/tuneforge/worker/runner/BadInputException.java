package dev.tuneforge.worker.runner;

/**
 * The job cannot succeed with its input (unreadable image, missing caption, unknown model, NaN
 * loss): it fails with this message as reason and is not retried. Name what is wrong (file, key,
 * field, shape) in the message: the user reads it.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
