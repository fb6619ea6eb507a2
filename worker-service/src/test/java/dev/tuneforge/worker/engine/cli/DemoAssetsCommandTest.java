package dev.tuneforge.worker.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoAssetsCommandTest {

    @Test
    void writesTheModelTheDatasetAndTheClipUnderOut(@TempDir Path dir) throws Exception {
        int exit = EngineCli.run(new String[] {"demo-assets", "--out", dir.toString(), "--images", "2"});

        assertThat(exit).isZero();
        assertThat(dir.resolve("model/model_index.json")).isRegularFile();
        assertThat(dir.resolve("model/unet/diffusion_pytorch_model.safetensors")).isRegularFile();
        assertThat(dir.resolve("tiny-random-clip/model.safetensors")).isRegularFile();
        assertThat(dir.resolve("tiny-random-clip/preprocessor_config.json")).isRegularFile();
        try (var files = Files.list(dir.resolve("dataset"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("shape-0.png", "shape-0.txt", "shape-1.png", "shape-1.txt");
        }
    }

    @Test
    void aNonNumericImageCountIsAUsageError(@TempDir Path dir) throws Exception {
        assertThat(EngineCli.run(new String[] {"demo-assets", "--out", dir.toString(), "--images", "many"})).isEqualTo(2);
    }
}
