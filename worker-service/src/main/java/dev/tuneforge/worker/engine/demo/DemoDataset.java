package dev.tuneforge.worker.engine.demo;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A small training set drawn by the project itself: coloured shapes on plain backgrounds, each PNG
 * with a caption file naming what it shows ({@code shape-0.png} + {@code shape-0.txt}, the pairing
 * training and the dataset upload expect). Same count, same files: no randomness, no fonts.
 */
public final class DemoDataset {

    public static final int DEFAULT_COUNT = 6;
    public static final int SIZE = 128;
    /** The word that marks the demo concept in captions and prompts (a token of the tiny vocabulary). */
    public static final String TRIGGER = "tfdemo";

    private record Paint(String name, Color color) {
    }

    private static final List<Paint> PAINTS = List.of(new Paint("red", new Color(220, 40, 40)),
            new Paint("green", new Color(40, 170, 60)), new Paint("blue", new Color(40, 80, 220)),
            new Paint("yellow", new Color(240, 210, 40)), new Paint("purple", new Color(140, 50, 170)),
            new Paint("orange", new Color(245, 140, 30)), new Paint("white", Color.WHITE),
            new Paint("black", Color.BLACK));
    private static final List<String> SHAPES = List.of("circle", "square", "triangle");

    private DemoDataset() {
    }

    /** Writes {@code count} image/caption pairs into {@code dir}; returns the image files. */
    public static List<Path> write(Path dir, int count) throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("demo dataset size must be at least 1, got " + count);
        }
        Files.createDirectories(dir);
        List<Path> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Paint fill = PAINTS.get(i % PAINTS.size());
            Paint background = PAINTS.get((i * 3 + 5) % PAINTS.size());
            if (background.equals(fill)) {
                background = PAINTS.get((PAINTS.indexOf(fill) + 1) % PAINTS.size());
            }
            String shape = SHAPES.get(i % SHAPES.size());
            String name = String.format(Locale.ROOT, "shape-%d", i);
            Path image = dir.resolve(name + ".png");
            ImageIO.write(draw(shape, fill.color(), background.color(), i), "png", image.toFile());
            Files.writeString(dir.resolve(name + ".txt"), caption(fill.name(), shape, background.name()));
            images.add(image);
        }
        return images;
    }

    /** The caption of one drawing, e.g. "a photo of a tfdemo red circle on a blue background". */
    static String caption(String colour, String shape, String background) {
        return "a photo of a " + TRIGGER + " " + colour + " " + shape + " on a " + background + " background";
    }

    private static BufferedImage draw(String shape, Color fill, Color background, int index) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(background);
            g.fillRect(0, 0, SIZE, SIZE);
            g.setColor(fill);
            // Size and position vary with the index so no two drawings of a shape are the same.
            int extent = SIZE / 2 + (index * 7) % (SIZE / 4);
            int x = (SIZE - extent) / 2 + (index % 3 - 1) * 8;
            int y = (SIZE - extent) / 2 + (index % 2) * 8 - 4;
            switch (shape) {
                case "circle" -> g.fillOval(x, y, extent, extent);
                case "square" -> g.fillRect(x, y, extent, extent);
                default -> g.fillPolygon(new Polygon(new int[] {x + extent / 2, x + extent, x},
                        new int[] {y, y + extent, y + extent}, 3));
            }
        } finally {
            g.dispose();
        }
        return image;
    }
}
