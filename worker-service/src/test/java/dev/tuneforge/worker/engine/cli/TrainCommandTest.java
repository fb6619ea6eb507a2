package dev.tuneforge.worker.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.worker.engine.testing.Goldens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code engine train} end to end on goldens/sd_pipeline, and its errors. */
class TrainCommandTest {

    @Test
    void trainsCheckpointsAndResumes(@TempDir Path dir) throws Exception {
        Path data = captionedImages(dir.resolve("data"));
        Path out = dir.resolve("out");
        String[] args = {"train", "--model", Goldens.dir("sd_pipeline").toString(), "--data", data.toString(),
            "--out", out.toString(), "--steps", "2", "--rank", "2", "--alpha", "2", "--batch", "1",
            "--checkpoint-every", "1", "--lr-scheduler", "constant", "--warmup", "0", "--resolution", "32",
            "--cache-latents", "--random-flip"};
        CliRun first = CliRun.of(args);
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out().strip()).isEqualTo(out.resolve("final").toString());
        assertThat(first.err()).contains("step 1/2 loss", "step 2/2", "checkpoint " + out.resolve("checkpoints/step-2"));
        assertThat(out.resolve("final/pytorch_lora_weights.safetensors")).exists();
        String[] more = args.clone();
        more[8] = "3";
        CliRun resumed = CliRun.of(append(more, "--resume"));
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("step 3/3").doesNotContain("step 1/3");
    }

    @Test
    void badInputExitsWithTheReason(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("orphan.txt"), "a caption without its image");
        CliRun bad = CliRun.of("train", "--model", Goldens.dir("sd_pipeline").toString(), "--data", data.toString(),
                "--out", dir.resolve("out").toString(), "--resolution", "32");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("orphan.txt: caption without image");
        CliRun usage = CliRun.of("train", "--model", "m", "--data", "d", "--out", "o", "--rank", "four");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("--rank", "four");
    }

    private static Path captionedImages(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < 2; i++) {
            java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(40, 32,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            image.setRGB(5 + i, 5, 0xff0000);
            javax.imageio.ImageIO.write(image, "png", dir.resolve("img" + i + ".png").toFile());
            Files.writeString(dir.resolve("img" + i + ".txt"), "a dot number " + i);
        }
        return dir;
    }

    private static String[] append(String[] args, String extra) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = extra;
        return all;
    }
}
