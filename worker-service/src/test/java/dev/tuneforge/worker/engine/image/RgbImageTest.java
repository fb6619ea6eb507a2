package dev.tuneforge.worker.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RgbImageTest {

    /** An 8-bit grayscale PNG keeps its stored values in all three channels (no linear-gray to sRGB shift). */
    @Test
    void grayscalePngKeepsItsValues(@TempDir Path dir) throws IOException {
        BufferedImage gray = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(0, 0, 0, 50);
        gray.getRaster().setSample(2, 1, 0, 200);
        Path file = dir.resolve("gray.png");
        ImageIO.write(gray, "png", file.toFile());
        RgbImage image = RgbImage.read(file);
        assertThat(new int[] {image.get(0, 0, 0), image.get(0, 0, 1), image.get(0, 0, 2)}).containsExactly(50, 50, 50);
        assertThat(image.get(2, 1, 1)).isEqualTo(200);
    }

    @Test
    void rgbPngRoundTrips(@TempDir Path dir) throws IOException {
        int[] pixels = {255, 0, 10, 1, 2, 3, 40, 50, 60, 70, 80, 90};
        RgbImage image = RgbImage.of(2, 2, pixels);
        Path file = dir.resolve("rgb.png");
        ImageIO.write(image.toBufferedImage(), "png", file.toFile());
        assertThat(RgbImage.read(file)).isEqualTo(image);
    }

    @Test
    void cropTakesTheRegion() {
        int[] pixels = new int[4 * 3 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i;
        }
        RgbImage crop = RgbImage.of(4, 3, pixels).crop(1, 1, 2, 2);
        assertThat(crop.get(0, 0, 0)).isEqualTo((1 * 4 + 1) * 3);
        assertThat(crop.get(1, 1, 2)).isEqualTo((2 * 4 + 2) * 3 + 2);
        assertThatThrownBy(() -> RgbImage.of(4, 3, pixels).crop(3, 0, 2, 1)).hasMessageContaining("not inside a 4x3");
    }

    @Test
    void unreadableFilesFailNamingThem(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "not an image");
        assertThatThrownBy(() -> RgbImage.read(text)).hasMessageContaining(text.toString())
                .hasMessageContaining("cannot decode");
        assertThatThrownBy(() -> RgbImage.read(dir.resolve("missing.png"))).hasMessageContaining("does not exist");
    }

    @Test
    void valuesOutsideAByteFail() {
        assertThatThrownBy(() -> RgbImage.of(1, 1, new int[] {0, 256, 0})).hasMessageContaining("256");
        assertThatThrownBy(() -> RgbImage.of(2, 1, new int[] {0, 0, 0})).hasMessageContaining("2x1");
    }
}
