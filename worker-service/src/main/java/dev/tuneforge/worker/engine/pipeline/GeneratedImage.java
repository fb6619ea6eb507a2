package dev.tuneforge.worker.engine.pipeline;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * One image as the pipeline returns it: RGB floats in [0, 1], row-major HWC (diffusers'
 * {@code output_type="np"}).
 */
public final class GeneratedImage {

    private final int width;
    private final int height;
    private final float[] rgb;

    GeneratedImage(int width, int height, float[] rgb) {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException(rgb.length + " values are not a " + width + "x" + height + " RGB image");
        }
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** A copy of the HWC float pixels in [0, 1]. */
    public float[] pixels() {
        return rgb.clone();
    }

    /** HWC bytes 0..255 as diffusers' numpy_to_pil makes them: {@code round(x * 255)}, ties to even. */
    public int[] toRgb8() {
        int[] bytes = new int[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            bytes[i] = (int) Math.rint(rgb[i] * 255f);
        }
        return bytes;
    }

    public BufferedImage toBufferedImage() {
        int[] bytes = toRgb8();
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                image.setRGB(x, y, (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2]);
            }
        }
        return image;
    }

    public void writePng(Path file) throws IOException {
        if (!ImageIO.write(toBufferedImage(), "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }
}
