package dev.tuneforge.scheduler.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.scheduler.jobs.DataAccessException;
import dev.tuneforge.storage.StorageException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class TransienceTest {
    private static RuntimeException wrapped(SQLException e) {
        return new RuntimeException("outer", new DataAccessException("cannot read jobs", e));
    }

    @Test
    void connectionLossRollbacksAndShutdownsAreTransient() {
        assertThat(Transience.isTransient(wrapped(new SQLException("connection refused", "08001")))).isTrue();
        assertThat(Transience.isTransient(wrapped(new SQLException("deadlock detected", "40P01")))).isTrue();
        assertThat(Transience.isTransient(wrapped(new SQLException("terminating connection", "57P01")))).isTrue();
        assertThat(Transience.isTransient(wrapped(new SQLTransientConnectionException("pool exhausted")))).isTrue();
        assertThat(Transience.isTransient(wrapped(new SQLException("Acquisition timeout")))).isTrue();
        assertThat(Transience.isTransient(new RuntimeException("promotion",
                new StorageException("object store: copy failed (attempt 3)", new java.io.IOException("refused"))))).isTrue();
    }

    @Test
    void dataAndConstraintErrorsAndBugsAreNot() {
        assertThat(Transience.isTransient(wrapped(new SQLException("invalid input syntax", "22P02")))).isFalse();
        assertThat(Transience.isTransient(wrapped(new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(Transience.isTransient(new IllegalStateException("bug"))).isFalse();
    }
}
