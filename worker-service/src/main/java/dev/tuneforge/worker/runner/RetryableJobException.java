package dev.tuneforge.worker.runner;

/**
 * An infrastructure fault (S3 timeout, broker down) interrupted the job: the runner releases the
 * command record so that a later delivery, on this or another worker, runs it again.
 */
public class RetryableJobException extends RuntimeException {
    public RetryableJobException(String message) {
        super(message);
    }

    public RetryableJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
