package dev.tuneforge.scheduler.jobs;

import java.sql.SQLException;

/** A failed statement; the {@link SQLException} stays the cause so callers can tell transient faults apart. */
public class DataAccessException extends RuntimeException {
    public DataAccessException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
