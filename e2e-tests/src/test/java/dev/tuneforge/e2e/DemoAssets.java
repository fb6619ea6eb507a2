package dev.tuneforge.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The tiny random model and the drawn dataset, written once per test JVM by the worker's own
 * {@code engine demo-assets} command (the one {@code ./tuneforge up --demo} uses), run on the
 * packaged worker's class path.
 */
final class DemoAssets {

    private static DemoAssets instance;

    private final Path model;
    private final Path modelZip;
    private final Path dataset;

    private DemoAssets(Path dir) {
        this.model = dir.resolve("model");
        this.modelZip = dir.resolve("model.zip");
        this.dataset = dir.resolve("dataset");
    }

    static synchronized DemoAssets get(E2ePlatform platform) {
        if (instance == null) {
            DemoAssets assets = new DemoAssets(platform.logs().resolveSibling("e2e-assets"));
            assets.write(platform.root(), platform.logs());
            instance = assets;
        }
        return instance;
    }

    Path model() {
        return model;
    }

    /** The model folder zipped with its components at the top level (what the model upload takes). */
    Path modelZip() {
        return modelZip;
    }

    Path dataset() {
        return dataset;
    }

    /** The dataset's files (images and captions), sorted. */
    List<Path> datasetFiles() {
        try (Stream<Path> files = Files.list(dataset)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(Path root, Path logs) {
        Path app = root.resolve("worker-service/target/quarkus-app");
        if (!Files.isDirectory(app.resolve("app"))) {
            throw new IllegalStateException(app + " is missing; package worker-service first");
        }
        String classPath = String.join(java.io.File.pathSeparator, app.resolve("app") + "/*",
                app.resolve("lib/main") + "/*", app.resolve("lib/boot") + "/*");
        Path log = logs.resolve("demo-assets.log");
        try {
            Files.createDirectories(logs);
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dai.djl.offline=true", "-cp", classPath, "dev.tuneforge.worker.engine.cli.EngineCli",
                    "demo-assets", "--out", model.getParent().toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("engine demo-assets failed; " + log + ":\n" + Files.readString(log));
            }
            zip(model, modelZip);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo assets", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the demo assets", e);
        }
    }

    private static void zip(Path dir, Path zip) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out);
             Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                z.putNextEntry(new ZipEntry(dir.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, z);
                z.closeEntry();
            }
        }
    }
}
