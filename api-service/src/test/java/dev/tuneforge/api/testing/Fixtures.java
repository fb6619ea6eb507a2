package dev.tuneforge.api.testing;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/** Upload fixtures built in the test: small images, captions, zips, and the tiny SD model of the goldens. */
public final class Fixtures {
    /** The components of a diffusers pipeline folder; the goldens' extra schedulers and fixtures are left out. */
    public static final List<String> MODEL_PARTS = List.of("model_index.json", "unet", "vae", "text_encoder",
            "tokenizer", "scheduler");

    private Fixtures() {
    }

    public static byte[] image(String format, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, new Color(x * 255 / width, y * 255 / height, 128).getRGB());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] png() {
        return image("png", 16, 12);
    }

    public static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A zip of {@code entries} (name → bytes) in the given order. */
    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static Path goldens() {
        return Path.of(System.getProperty("tuneforge.goldens", "../shared/goldens"));
    }

    /** The files of the tiny SD pipeline in the goldens, by relative path, without the folders named in {@code without}. */
    public static Map<String, byte[]> modelFiles(String... without) {
        Path root = goldens().resolve("sd_pipeline");
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                String relative = root.relativize(path).toString().replace('\\', '/');
                String top = relative.contains("/") ? relative.substring(0, relative.indexOf('/')) : relative;
                if (MODEL_PARTS.contains(top) && !List.of(without).contains(top)) {
                    files.put(relative, Files.readAllBytes(path));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the goldens' sd_pipeline under " + root.toAbsolutePath(), e);
        }
        return files;
    }
}
