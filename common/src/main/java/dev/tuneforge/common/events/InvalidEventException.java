package dev.tuneforge.common.events;

/**
 * A record that cannot be turned into a known event: malformed JSON, a missing required attribute,
 * an unknown type or schema version. Consumers route such records to the DLQ with this message as
 * the reason header and keep going.
 */
public class InvalidEventException extends RuntimeException {
    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
