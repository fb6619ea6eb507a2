package dev.tuneforge.worker.engine.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * An 8-bit RGB image, row-major HWC bytes: the form PIL's {@code convert("RGB")} and tfjs's
 * {@code decodeImage(..., 3)} give the evaluation networks. Immutable.
 */
public final class RgbImage {

    private final int width;
    private final int height;
    private final byte[] rgb;

    private RgbImage(int width, int height, byte[] rgb) {
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    /** An image from HWC values 0..255 (each value is checked). */
    public static RgbImage of(int width, int height, int[] hwc) {
        checkSize(width, height, hwc.length);
        byte[] bytes = new byte[hwc.length];
        for (int i = 0; i < hwc.length; i++) {
            if (hwc[i] < 0 || hwc[i] > 255) {
                throw new IllegalArgumentException("pixel value " + hwc[i] + " at index " + i + " is not in 0..255");
            }
            bytes[i] = (byte) hwc[i];
        }
        return new RgbImage(width, height, bytes);
    }

    /** An image from HWC bytes (copied). */
    public static RgbImage ofBytes(int width, int height, byte[] hwc) {
        checkSize(width, height, hwc.length);
        return new RgbImage(width, height, hwc.clone());
    }

    /** Reads a PNG, JPEG, BMP or GIF file; a file that is not a readable image fails naming it. */
    public static RgbImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("image file " + file + " does not exist");
        }
        return decode(Files.readAllBytes(file), file.toString());
    }

    /** Decodes encoded image bytes; {@code source} names them in errors. */
    public static RgbImage decode(byte[] encoded, String source) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(encoded));
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot decode image " + source + ": " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IOException("cannot decode image " + source + ": not a PNG, JPEG, BMP or GIF file");
        }
        return fromBufferedImage(image);
    }

    /**
     * Converts a decoded image. Grayscale rasters are read as stored: {@code getRGB} would map
     * them through Java's linear gray colour space and brighten them, unlike PIL and tfjs.
     */
    public static RgbImage fromBufferedImage(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        Raster raster = image.getRaster();
        boolean gray = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        int bits = raster.getSampleModel().getSampleSize(0);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                if (gray) {
                    byte v = (byte) toEightBits(raster.getSample(x, y, 0), bits);
                    out[i] = v;
                    out[i + 1] = v;
                    out[i + 2] = v;
                } else {
                    int argb = image.getRGB(x, y);
                    out[i] = (byte) (argb >> 16);
                    out[i + 1] = (byte) (argb >> 8);
                    out[i + 2] = (byte) argb;
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    private static int toEightBits(int sample, int bits) {
        return bits >= 8 ? sample >> (bits - 8) : sample * 255 / ((1 << bits) - 1);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Channel {@code c} (0 red, 1 green, 2 blue) of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xff;
    }

    /** A copy of the HWC bytes. */
    public byte[] bytes() {
        return rgb.clone();
    }

    /** HWC values 0..255 as floats, the input the networks normalise. */
    public float[] toFloats() {
        float[] values = new float[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            values[i] = rgb[i] & 0xff;
        }
        return values;
    }

    /** The {@code w × h} region at (x, y); it must lie inside the image. */
    public RgbImage crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + " at (" + x + ", " + y + ") is not inside a "
                    + width + "x" + height + " image");
        }
        byte[] out = new byte[w * h * 3];
        for (int row = 0; row < h; row++) {
            System.arraycopy(rgb, ((y + row) * width + x) * 3, out, row * w * 3, w * 3);
        }
        return new RgbImage(w, h, out);
    }

    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (get(x, y, 0) << 16) | (get(x, y, 1) << 8) | get(x, y, 2));
            }
        }
        return image;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RgbImage o && o.width == width && o.height == height && Arrays.equals(o.rgb, rgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(rgb);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }

    private static void checkSize(int width, int height, int length) {
        if (width <= 0 || height <= 0 || (long) width * height * 3 != length) {
            throw new IllegalArgumentException(length + " values are not a " + width + "x" + height + " RGB image");
        }
    }
}
