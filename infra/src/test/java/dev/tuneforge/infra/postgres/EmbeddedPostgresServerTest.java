package dev.tuneforge.infra.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {
    @TempDir
    Path dir;

    @Test
    void tuneforgeUserOwnsADatabaseThatSurvivesARestart() throws SQLException {
        Path data = dir.resolve("postgres");
        int port;
        try (EmbeddedPostgresServer first = new EmbeddedPostgresServer(data, 0)) {
            first.start();
            port = first.port();
            try (Connection connection = connect(first); Statement sql = connection.createStatement()) {
                sql.execute("CREATE TABLE jobs (id text PRIMARY KEY, state text NOT NULL)");
                sql.execute("INSERT INTO jobs VALUES ('job-1', 'QUEUED')");
                assertThat(single(sql, "SELECT current_user || '@' || current_database()")).isEqualTo("tuneforge@tuneforge");
            }
        }

        try (EmbeddedPostgresServer second = new EmbeddedPostgresServer(data, port)) {
            second.start();
            try (Connection connection = connect(second); Statement sql = connection.createStatement()) {
                assertThat(single(sql, "SELECT state FROM jobs WHERE id = 'job-1'")).isEqualTo("QUEUED");
            }
        }
    }

    private static Connection connect(EmbeddedPostgresServer server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
    }

    private static String single(Statement sql, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            assertThat(rows.next()).as("a row from %s", query).isTrue();
            return rows.getString(1);
        }
    }
}
