package dev.tuneforge.worker.messaging;

/** Kafka did not acknowledge a record in time (broker down, timeout): an infrastructure fault. */
public class PublishException extends RuntimeException {
    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
