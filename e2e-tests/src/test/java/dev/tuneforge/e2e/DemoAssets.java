package dev.tuneforge.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
            DemoAssets assets = new DemoAssets(platform.assets());
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
        EngineCommand.run(root, logs.resolve("demo-assets.log"), Duration.ofMinutes(5), "demo-assets", "--out",
                model.getParent().toString());
        try {
            zip(model, modelZip);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot zip " + model, e);
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
