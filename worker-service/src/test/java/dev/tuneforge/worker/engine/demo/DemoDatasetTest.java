package dev.tuneforge.worker.engine.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDatasetTest {

    @Test
    void writesDistinctCaptionedDrawingsAndTheSameBytesEveryTime(@TempDir Path dir) throws IOException {
        List<Path> images = DemoDataset.write(dir.resolve("a"), DemoDataset.DEFAULT_COUNT);
        List<Path> again = DemoDataset.write(dir.resolve("b"), DemoDataset.DEFAULT_COUNT);
        assertThat(images).hasSize(6);
        Set<String> captions = new HashSet<>();
        Set<Integer> centres = new HashSet<>();
        for (int i = 0; i < images.size(); i++) {
            Path image = images.get(i);
            assertThat(Files.readAllBytes(again.get(i))).isEqualTo(Files.readAllBytes(image));
            BufferedImage decoded = ImageIO.read(image.toFile());
            assertThat(decoded.getWidth()).isEqualTo(DemoDataset.SIZE);
            assertThat(decoded.getRGB(64, 64)).as("shape centre differs from the corner background")
                    .isNotEqualTo(decoded.getRGB(0, 0));
            centres.add(decoded.getRGB(64, 64));
            String caption = Files.readString(image.resolveSibling(image.getFileName().toString()
                    .replace(".png", ".txt")));
            assertThat(caption).startsWith("a photo of a tfdemo ").endsWith(" background");
            captions.add(caption);
        }
        assertThat(captions).hasSize(6);
        assertThat(centres).hasSizeGreaterThan(3);
    }

    @Test
    void captionsUseOnlyWordsOfTheTinyVocabulary() {
        String caption = DemoDataset.caption("red", "circle", "blue");
        assertThat(List.of(caption.split(" "))).allSatisfy(w -> assertThat(TinyModelFactory.WORDS).contains(w));
    }

    @Test
    void anEmptyDatasetIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> DemoDataset.write(dir, 0)).hasMessageContaining("at least 1");
    }
}
