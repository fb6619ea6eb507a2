package dev.tuneforge.worker.engine.eval;

import dev.tuneforge.worker.engine.image.RgbImage;
import java.io.IOException;
import java.nio.file.Path;

/** An image to evaluate, read only when needed: a file that cannot be read becomes a per-image error. */
public interface ImageInput {

    /** How the report names it (e.g. the file name). */
    String name();

    RgbImage read() throws IOException;

    static ImageInput file(Path file) {
        return new ImageInput() {
            @Override
            public String name() {
                return file.getFileName().toString();
            }

            @Override
            public RgbImage read() throws IOException {
                return RgbImage.read(file);
            }
        };
    }

    static ImageInput of(String name, RgbImage image) {
        return new ImageInput() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public RgbImage read() {
                return image;
            }
        };
    }
}
