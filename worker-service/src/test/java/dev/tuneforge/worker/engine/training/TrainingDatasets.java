package dev.tuneforge.worker.engine.training;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Small synthetic training sets: coloured shapes on plain backgrounds, with captions saying what they show. */
final class TrainingDatasets {

    private static final List<Color> COLOURS = List.of(Color.RED, Color.BLUE, Color.GREEN, Color.ORANGE);
    private static final List<String> NAMES = List.of("red", "blue", "green", "orange");

    private TrainingDatasets() {
    }

    /** {@code count} PNG images of {@code width × height} with matching .txt captions in {@code dir}. */
    static Path shapes(Path dir, int count, int width, int height) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(i % 2 == 0 ? Color.WHITE : Color.DARK_GRAY);
            g.fillRect(0, 0, width, height);
            g.setColor(COLOURS.get(i % COLOURS.size()));
            boolean circle = (i / COLOURS.size()) % 2 == 1;
            if (circle) {
                g.fillOval(width / 4, height / 4, width / 2, height / 2);
            } else {
                g.fillRect(width / 4, height / 4, width / 2, height / 2);
            }
            g.dispose();
            ImageIO.write(image, "png", dir.resolve("shape" + i + ".png").toFile());
            Files.writeString(dir.resolve("shape" + i + ".txt"), "a " + NAMES.get(i % NAMES.size()) + " "
                    + (circle ? "circle" : "square"));
        }
        return dir;
    }
}
