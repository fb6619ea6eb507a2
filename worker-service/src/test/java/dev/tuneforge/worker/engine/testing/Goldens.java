package dev.tuneforge.worker.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the reference fixtures: system property {@code tuneforge.goldens}, else environment
 * variable {@code TUNEFORGE_GOLDENS}, else {@code ../shared/goldens} next to the repository root.
 */
public final class Goldens {

    public static final String PROPERTY = "tuneforge.goldens";
    public static final String ENVIRONMENT = "TUNEFORGE_GOLDENS";

    private Goldens() {
    }

    /** The fixture root. */
    public static Path root() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENVIRONMENT);
        }
        Path root = configured == null || configured.isBlank()
                ? repositoryRoot().resolve("../shared/goldens")
                : Path.of(configured);
        return root.toAbsolutePath().normalize();
    }

    /** A folder of the fixture root, e.g. {@code "unet"} or {@code "schedulers/ddim"}; it must exist. */
    public static Path dir(String relative) {
        Path dir = root().resolve(relative);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("golden fixture folder " + dir + " does not exist (fixture root from -D"
                    + PROPERTY + ", $" + ENVIRONMENT + " or ../shared/goldens)");
        }
        return dir;
    }

    /** {@code fixtures.safetensors} + {@code fixtures.json} of a folder. */
    public static Fixtures fixtures(String relative) {
        return fixtures(relative, "fixtures");
    }

    /** {@code <baseName>.safetensors} + {@code <baseName>.json} of a folder. */
    public static Fixtures fixtures(String relative, String baseName) {
        try {
            return Fixtures.open(dir(relative), baseName);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open fixtures " + baseName + " in " + relative, e);
        }
    }

    /** The nearest ancestor of the working directory holding the Maven wrapper. */
    private static Path repositoryRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (folder with mvnw) above " + start
                + "; set -D" + PROPERTY + " or $" + ENVIRONMENT);
    }
}
