package dev.tuneforge.infra;

import dev.tuneforge.infra.kafka.EmbeddedKafka;
import dev.tuneforge.infra.postgres.EmbeddedPostgresServer;
import dev.tuneforge.infra.s3.EmbeddedS3;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole local platform: Kafka, PostgreSQL and S3 on loopback, data under one root directory
 * ({@code kafka/}, {@code postgres/}, {@code s3/}), and {@code <root>/platform.env} with the
 * connection settings, written once the started servers are ready and removed on shutdown.
 *
 * <p>{@link #main} runs it as a process until SIGTERM; see {@link PlatformOptions#USAGE}.
 */
public final class EmbeddedPlatform implements AutoCloseable {
    public static final int DEFAULT_KAFKA_PORT = 19092;
    public static final int DEFAULT_POSTGRES_PORT = 15432;
    public static final int DEFAULT_S3_PORT = 19000;
    public static final Path DEFAULT_ROOT = Path.of(".tuneforge", "data");

    private final Path root;
    private final EmbeddedKafka kafka;
    private final EmbeddedPostgresServer postgres;
    private final EmbeddedS3 s3;

    /** Ports may be 0 (any free port); the chosen ports then stay fixed for this instance. */
    public EmbeddedPlatform(Path root, int kafkaPort, int postgresPort, int s3Port) {
        this.root = root.toAbsolutePath();
        this.kafka = new EmbeddedKafka(this.root.resolve("kafka"), kafkaPort);
        this.postgres = new EmbeddedPostgresServer(this.root.resolve("postgres"), postgresPort);
        this.s3 = new EmbeddedS3(this.root.resolve("s3"), s3Port);
    }

    /** Starts the given servers side by side (those already running are left alone), then writes platform.env. */
    public synchronized void start(Set<Component> components) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create platform root " + root, e);
        }
        // One thread per server: each start mostly waits (initdb, quorum election, sockets).
        ExecutorService starters = Executors.newFixedThreadPool(Math.max(1, components.size()));
        try {
            List<CompletableFuture<Void>> starts = components.stream()
                    .map(component -> CompletableFuture.runAsync(() -> server(component).start(), starters))
                    .toList();
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } finally {
            starters.shutdown();
        }
        env().write(envFile());
    }

    /** Stops one server (its data stays) and rewrites platform.env without it. */
    public synchronized void stop(Component component) {
        server(component).stop();
        env().write(envFile());
    }

    /** Connection settings of the servers that run now. */
    public synchronized PlatformEnv env() {
        Map<PlatformEnv.Setting, String> values = new EnumMap<>(PlatformEnv.Setting.class);
        if (kafka.isRunning()) {
            values.put(PlatformEnv.Setting.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        }
        if (postgres.isRunning()) {
            values.put(PlatformEnv.Setting.QUARKUS_DATASOURCE_JDBC_URL, postgres.jdbcUrl());
            values.put(PlatformEnv.Setting.QUARKUS_DATASOURCE_USERNAME, EmbeddedPostgresServer.USER);
            values.put(PlatformEnv.Setting.QUARKUS_DATASOURCE_PASSWORD, EmbeddedPostgresServer.PASSWORD);
        }
        if (s3.isRunning()) {
            values.put(PlatformEnv.Setting.TUNEFORGE_S3_ENDPOINT, s3.endpoint());
            values.put(PlatformEnv.Setting.TUNEFORGE_S3_ACCESS_KEY, EmbeddedS3.ACCESS_KEY);
            values.put(PlatformEnv.Setting.TUNEFORGE_S3_SECRET_KEY, EmbeddedS3.SECRET_KEY);
            values.put(PlatformEnv.Setting.TUNEFORGE_S3_BUCKET, EmbeddedS3.BUCKET);
        }
        return new PlatformEnv(values);
    }

    public Path envFile() {
        return root.resolve(PlatformEnv.FILE_NAME);
    }

    public Path root() {
        return root;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    public EmbeddedS3 s3() {
        return s3;
    }

    /** Stops everything and removes platform.env, so nobody mistakes a stopped platform for a running one. */
    @Override
    public synchronized void close() {
        RuntimeException failure = null;
        try {
            Files.deleteIfExists(envFile());
        } catch (IOException e) {
            failure = new UncheckedIOException("cannot remove " + envFile(), e);
        }
        // Every server gets its chance to stop cleanly even when another one fails to.
        for (EmbeddedServer server : List.of(kafka, s3, postgres)) {
            try {
                server.stop();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private EmbeddedServer server(Component component) {
        return switch (component) {
            case KAFKA -> kafka;
            case POSTGRES -> postgres;
            case S3 -> s3;
        };
    }

    public static void main(String[] args) throws Exception {
        PlatformOptions options;
        try {
            options = PlatformOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(PlatformOptions.USAGE);
            System.exit(2);
            return;
        }
        LogDefaults.apply();
        Logger log = LoggerFactory.getLogger(EmbeddedPlatform.class);
        EmbeddedPlatform platform = new EmbeddedPlatform(options.root(), options.kafkaPort(), options.postgresPort(), options.s3Port());
        // A platform.env left by a killed run would make waiters believe we are ready.
        Files.deleteIfExists(platform.envFile());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(platform, log), "tuneforge-platform-shutdown"));
        long began = System.nanoTime();
        try {
            platform.start(options.components());
        } catch (RuntimeException e) {
            log.error("TuneForge platform failed to start: {}", e.getMessage(), e);
            System.exit(1);
        }
        log.info("TuneForge platform ready in {} ms; settings in {}", (System.nanoTime() - began) / 1_000_000, platform.envFile());
        if (options.controlled()) {
            PlatformControl.serve(platform, platform.root());
            awaitEndOfInput(System.in);
            System.exit(0);
        }
        new CountDownLatch(1).await();
    }

    private static void shutdown(EmbeddedPlatform platform, Logger log) {
        log.info("TuneForge platform stopping");
        platform.close();
        log.info("TuneForge platform stopped");
    }

    /** A controlled platform lives as long as its parent: the parent's end closes our standard input. */
    private static void awaitEndOfInput(InputStream in) throws IOException {
        while (in.read() >= 0) {
            // Input carries no commands; only its end matters.
        }
    }
}
