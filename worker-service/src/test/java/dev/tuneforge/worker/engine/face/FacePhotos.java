package dev.tuneforge.worker.engine.face;

import dev.tuneforge.worker.engine.image.RgbImage;
import dev.tuneforge.worker.engine.testing.Goldens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real face photographs of {@code ../shared/faces}: system property {@code tuneforge.faces},
 * else environment variable {@code TUNEFORGE_FACES}, else {@code faces} next to the goldens root.
 */
public final class FacePhotos {

    public static final String PROPERTY = "tuneforge.faces";
    public static final String ENVIRONMENT = "TUNEFORGE_FACES";

    private FacePhotos() {
    }

    public static Path root() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENVIRONMENT);
        }
        Path root = configured == null || configured.isBlank() ? Goldens.root().resolve("../faces")
                : Path.of(configured);
        root = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("face photo folder " + root + " does not exist (from -D" + PROPERTY
                    + ", $" + ENVIRONMENT + " or faces/ next to the goldens)");
        }
        return root;
    }

    public static Path file(String relative) {
        return root().resolve(relative);
    }

    public static RgbImage image(String relative) {
        try {
            return RgbImage.read(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files of a sub-folder, sorted by name. */
    public static List<Path> files(String folder) {
        try (Stream<Path> files = Files.list(file(folder))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
