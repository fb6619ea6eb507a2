package dev.tuneforge.infra.test;

import dev.tuneforge.infra.Component;
import dev.tuneforge.infra.EmbeddedPlatform;
import dev.tuneforge.infra.PlatformControl;
import dev.tuneforge.infra.PlatformEnv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.FileUtils;

/**
 * The one platform that all test resources of a test JVM share, running in a child JVM.
 *
 * <p>Why a child JVM rather than the servers inside the test JVM (checked with a throwaway
 * Quarkus 3.34.1 app: messaging-kafka, hibernate-orm-panache, jdbc-postgresql): the broker's jars
 * load and serve fine inside a {@code @QuarkusTest}, but Quarkus loads test resources and test
 * classes through its own class loaders, a new set per application start (each test profile),
 * so a "static, started once" platform is not once per JVM: with two profiles the in-JVM
 * platform was started twice, and a test class read another static copy than the one that
 * configured the application (different Kafka ports). Brokers left in a discarded loader also
 * keep running until the JVM exits. In a child process the servers never meet Quarkus class
 * loading, a test can stop and restart Kafka for real, and the cost is one extra JVM start.
 *
 * <p>Sharing across those class loaders: the platform root is kept in a system property and the
 * child is driven through {@link PlatformControl}'s loopback port, so every copy of this class
 * finds the same child. The child runs {@link EmbeddedPlatform#main} on this JVM's class path
 * (infra and its dependencies are on every test class path that uses these resources) and stops
 * when this JVM exits: shutdown hook, or the end of its standard input if this JVM is killed.
 */
final class SharedPlatform {
    static final String ROOT_PROPERTY = "tuneforge.infra.test.platform-root";
    /** String literals are interned JVM-wide: one monitor for every class loader's copy of this class. */
    private static final String LOCK = "dev.tuneforge.infra.test.SharedPlatform.lock";
    private static final Duration LAUNCH_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final String LOG_FILE = "platform.log";

    private SharedPlatform() {
    }

    /** Starts the components that do not run yet and returns their Quarkus configuration. */
    static Map<String, String> start(Set<Component> components) {
        synchronized (LOCK) {
            Path root = rootOrLaunch();
            int port = controlPort(root);
            try {
                PlatformControl.request(port, "start", components);
            } catch (RuntimeException e) {
                // The child's log is the only record of why a server did not come up: hand it to the test report.
                throw new IllegalStateException(e.getMessage() + "; last lines of " + root.resolve(LOG_FILE) + ":\n"
                        + tail(root.resolve(LOG_FILE)), e);
            }
            return readEnv(root).config(components);
        }
    }

    /** Stops one component; its data and port are kept for the next {@link #start}. */
    static void stop(Component component) {
        synchronized (LOCK) {
            PlatformControl.request(controlPort(rootOrLaunch()), "stop", Set.of(component));
        }
    }

    /** Connection settings of the components that run now. */
    static PlatformEnv env() {
        synchronized (LOCK) {
            return readEnv(rootOrLaunch());
        }
    }

    private static PlatformEnv readEnv(Path root) {
        Path file = root.resolve(PlatformEnv.FILE_NAME);
        return Files.exists(file) ? PlatformEnv.read(file) : new PlatformEnv(Map.of());
    }

    private static Path rootOrLaunch() {
        String existing = System.getProperty(ROOT_PROPERTY);
        if (existing != null) {
            return Path.of(existing);
        }
        Path root = launch();
        System.setProperty(ROOT_PROPERTY, root.toString());
        return root;
    }

    private static Path launch() {
        try {
            Path root = Files.createTempDirectory("tuneforge-platform-");
            Process child = new ProcessBuilder(command(root))
                    .redirectErrorStream(true)
                    .redirectOutput(root.resolve(LOG_FILE).toFile())
                    .start();
            // The hook also keeps the Process (and so the pipe to the child's standard input) reachable.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> terminate(child, root), "tuneforge-platform-stop"));
            awaitControlPort(child, root);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch the TuneForge test platform", e);
        }
    }

    private static List<String> command(Path root) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A small, quick-starting JVM: the platform serves a handful of test records and rows.
        command.addAll(List.of("-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        command.add(EmbeddedPlatform.class.getName());
        command.addAll(List.of("--root", root.toString(), "--kafka-port", "0", "--postgres-port", "0", "--s3-port", "0",
                "--components", "none", "--controlled"));
        return command;
    }

    private static void awaitControlPort(Process child, Path root) {
        Path portFile = root.resolve(PlatformControl.PORT_FILE);
        long deadline = System.nanoTime() + LAUNCH_TIMEOUT.toNanos();
        while (!Files.exists(portFile)) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                child.destroyForcibly();
                throw new IllegalStateException("the TuneForge test platform did not come up ("
                        + (child.isAlive() ? "timeout " + LAUNCH_TIMEOUT : "exit code " + child.exitValue())
                        + "); its log is " + root.resolve(LOG_FILE) + ":\n" + tail(root.resolve(LOG_FILE)));
            }
            sleep(Duration.ofMillis(50));
        }
    }

    private static int controlPort(Path root) {
        try {
            return Integer.parseInt(Files.readString(root.resolve(PlatformControl.PORT_FILE)).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("the TuneForge test platform under " + root + " has no control port", e);
        }
    }

    private static void terminate(Process child, Path root) {
        child.destroy();
        try {
            if (!child.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                child.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Temporary data only; what cannot be removed now is left to the OS.
        FileUtils.deleteQuietly(root.toFile());
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the TuneForge test platform", e);
        }
    }
}
