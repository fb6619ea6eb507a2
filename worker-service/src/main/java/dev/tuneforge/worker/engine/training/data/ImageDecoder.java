package dev.tuneforge.worker.engine.training.data;

import dev.tuneforge.worker.engine.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes a training image to 8-bit RGB as PIL's {@code Image.open(f).convert("RGB")} does: grey,
 * palette, 16-bit, CMYK and alpha images are converted (alpha is dropped, not composited). A
 * decoder warning that the data ended early (the JDK still renders such a JPEG, grey at the
 * bottom) counts as a damaged file: training on half an image is worse than failing with its name.
 * Other warnings (e.g. a CMYK file without a colour profile) do not stop training.
 */
final class ImageDecoder {

    private static final Pattern TRUNCATED = Pattern.compile("(?i)premature end|truncat|unexpected end");

    private ImageDecoder() {
    }

    /** The image of {@code file}; an unreadable, unsupported or truncated file fails with the reason. */
    static RgbImage decode(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new IOException("cannot be opened");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("not a JPEG, PNG or WebP image");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> {
                if (TRUNCATED.matcher(warning).find()) {
                    warnings.add(warning);
                }
            });
            BufferedImage image;
            try {
                reader.setInput(in, true, true);
                image = reader.read(0);
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot be decoded (" + e.getMessage() + ")", e);
            } finally {
                reader.dispose();
            }
            if (!warnings.isEmpty()) {
                throw new IOException("damaged or truncated (" + String.join("; ", warnings) + ")");
            }
            return RgbImage.fromBufferedImage(image);
        }
    }
}
