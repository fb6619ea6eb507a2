package dev.tuneforge.scheduler.events;

import dev.tuneforge.storage.StorageException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Tells faults that go away by themselves (the database restarting, a dropped connection, a
 * deadlock, a serialization conflict, an exhausted pool, a failed commit, the object store down
 * past its own retries during a promotion) from faults that will
 * recur on every retry of the same event. Only the latter may send an event to the DLQ.
 */
final class Transience {
    /** SQLSTATE classes: connection exception, transaction rollback, insufficient resources, operator intervention, system error. */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "57", "58");

    private Transience() {
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && isTransient(sql)) {
                return true;
            }
            if (t instanceof StorageException) {
                return true;
            }
            // A commit that failed (jakarta.transaction.RollbackException, SystemException, Heuristic*).
            if (t.getClass().getName().startsWith("jakarta.transaction.")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransient(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException
                || e instanceof SQLNonTransientConnectionException) {
            return true;
        }
        String state = e.getSQLState();
        // The pool's own errors (acquisition timeout, closed datasource) carry no SQLSTATE.
        return state == null || state.length() < 2 || TRANSIENT_CLASSES.contains(state.substring(0, 2));
    }
}
