package dev.tuneforge.worker.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.worker.engine.testing.Goldens;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineCliTest {

    @Test
    void generateWritesOnePngPerImage(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("x.png");
        int exit = EngineCli.run(new String[] {"generate", "--model", Goldens.dir("sd_pipeline").toString(),
            "--prompt", "a photo of a man", "--negative", "blurry", "--scheduler", "euler", "--steps", "2",
            "--seed", "5", "--guidance", "5", "--width", "32", "--height", "48", "--images", "2", "--out", out.toString()});
        assertThat(exit).isZero();
        assertThat(Files.exists(out)).isFalse();
        for (String name : new String[] {"x-0.png", "x-1.png"}) {
            BufferedImage image = ImageIO.read(tmp.resolve(name).toFile());
            assertThat(image.getWidth()).isEqualTo(32);
            assertThat(image.getHeight()).isEqualTo(48);
        }
    }

    @Test
    void usageErrorsExitWith2() throws Exception {
        assertThat(EngineCli.run(new String[] {"paint"})).isEqualTo(2);
        assertThat(EngineCli.run(new String[] {"generate", "--prompt", "a cat"})).isEqualTo(2);
        assertThat(EngineCli.run(new String[] {"generate", "--model", "m", "--prompt", "p", "--out", "o.png",
            "--width", "30", "--height", "32"})).isEqualTo(2);
        assertThat(EngineCli.run(new String[] {"bench", "--case", "nope"})).isEqualTo(2);
    }
}
