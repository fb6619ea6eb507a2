package dev.tuneforge.worker.engine.face;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tfjs face models ({@code <model>-weights_manifest.json} + {@code .bin} shards) are
 * read from: a folder, or the class path, where the worker's build puts the models of
 * {@code @vladmandic/face-api} (under {@code face-api/model/}).
 */
public final class FaceModelFiles {

    /** System property naming a folder of face models; overrides the class path. */
    public static final String PROPERTY = "tuneforge.faceModels";
    /** Environment variable naming a folder of face models, used when the property is not set. */
    public static final String ENVIRONMENT = "TUNEFORGE_FACE_MODELS";
    static final String RESOURCE_PREFIX = "face-api/model/";
    private static final String HOW_TO_GET = "the worker-service build fetches them (npm package "
            + "@vladmandic/face-api, see worker-service/src/build/fetch-face-models.sh); or point -D" + PROPERTY
            + " or $" + ENVIRONMENT + " at a folder holding the package's model/ files";

    private final Path dir;

    private FaceModelFiles(Path dir) {
        this.dir = dir;
    }

    /** The folder named by {@link #PROPERTY} or {@link #ENVIRONMENT}, else the class path. */
    public static FaceModelFiles locate() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENVIRONMENT);
        }
        return configured == null || configured.isBlank() ? classPath() : directory(Path.of(configured));
    }

    public static FaceModelFiles directory(Path dir) {
        return new FaceModelFiles(dir);
    }

    public static FaceModelFiles classPath() {
        return new FaceModelFiles(null);
    }

    /** Opens {@code file}; a missing file fails saying where it was looked for and how to get it. */
    public InputStream open(String file) throws IOException {
        if (dir != null) {
            Path path = dir.resolve(file);
            if (!Files.isRegularFile(path)) {
                throw new IOException("face model file " + path + " does not exist; " + HOW_TO_GET);
            }
            return Files.newInputStream(path);
        }
        InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE_PREFIX + file);
        if (in == null) {
            throw new IOException("face model file " + RESOURCE_PREFIX + file + " is not on the class path; "
                    + HOW_TO_GET);
        }
        return in;
    }

    /** Where {@code file} is read from, for messages. */
    public String describe(String file) {
        return dir != null ? dir.resolve(file).toString() : "classpath:" + RESOURCE_PREFIX + file;
    }

    @Override
    public String toString() {
        return dir != null ? dir.toString() : "classpath:" + RESOURCE_PREFIX;
    }
}
