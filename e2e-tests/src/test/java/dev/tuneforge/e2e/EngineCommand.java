package dev.tuneforge.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The engine's command line ({@code ./tuneforge engine ...}) as a child process on the packaged
 * worker's class path: the demo assets are written with it, and the benchmark times training
 * with it outside the platform.
 */
final class EngineCommand {

    private EngineCommand() {
    }

    /** Runs {@code engine args...} with its output in {@code log}; returns its wall time, fails on a non-zero exit. */
    static Duration run(Path root, Path log, Duration timeout, String... args) {
        Path app = root.resolve("worker-service/target/quarkus-app");
        if (!Files.isDirectory(app.resolve("app"))) {
            throw new IllegalStateException(app + " is missing; package worker-service first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", String.join(File.pathSeparator, app.resolve("app") + "/*",
                        app.resolve("lib/main") + "/*", app.resolve("lib/boot") + "/*"),
                "dev.tuneforge.worker.engine.cli.EngineCli"));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("DJL_OFFLINE", "true");
            builder.environment().put("OPT_OUT_TRACKING", "true");
            long start = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("engine " + args[0] + " still running after " + timeout + "; " + log);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("engine " + args[0] + " exited with " + process.exitValue() + "; "
                        + log + ":\n" + Files.readString(log));
            }
            return took;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run engine " + args[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running engine " + args[0], e);
        }
    }
}
