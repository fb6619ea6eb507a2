package dev.tuneforge.worker.engine.clip;

import static dev.tuneforge.worker.engine.testing.Tensors.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tuneforge.worker.engine.image.RgbImage;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Goldens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipImageProcessorTest {

    /**
     * transformers' CLIPImageProcessor (PIL bicubic shortest-edge resize, centre crop, rescale,
     * normalise) on a random uint8 image. The resize is Pillow's fixed-point algorithm reproduced
     * exactly, so the only differences left are float32 rounding.
     */
    @Test
    void matchesReferencePreprocessing() throws IOException {
        try (Fixtures fixtures = Goldens.fixtures("clip");
             NDManager manager = NDManager.newBaseManager()) {
            ClipImageProcessor processor = ClipImageProcessor.load(fixtures.dir().resolve("preprocessor_config.json"));
            RgbImage image = imageOf(fixtures.get("preprocess.image_uint8_hwc"));
            NDArray pixels = processor.pixelValues(List.of(image), manager);
            double diff = assertClose(pixels, fixtures.get("preprocess.pixel_values"), 1e-5, "pixel_values");
            System.out.printf("clip preprocessing max|diff| %.3g%n", diff);
        }
    }

    @Test
    void unsupportedResampleFailsNamingIt(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("preprocessor_config.json");
        String original = Files.readString(Goldens.dir("clip").resolve("preprocessor_config.json"));
        Files.writeString(config, original.replaceAll("\"resample\"\\s*:\\s*\\d+", "\"resample\": 1"));
        assertThatThrownBy(() -> ClipImageProcessor.load(config))
                .hasMessageContaining("resample 1").hasMessageContaining(config.toString());
    }

    @Test
    void legacyBareSizesMeanShortestEdgeAndSquareCrop(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("preprocessor_config.json");
        Files.writeString(config, "{\"size\": 8, \"crop_size\": 6}");
        ClipImageProcessor processor = ClipImageProcessor.load(config);
        int[] pixels = new int[20 * 10 * 3];
        java.util.Arrays.fill(pixels, 128);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray out = processor.pixelValues(List.of(RgbImage.of(20, 10, pixels)), manager);
            assertThat(out.getShape().getShape()).containsExactly(1, 3, 6, 6);
        }
    }

    static RgbImage imageOf(NDArray hwc) {
        long[] shape = hwc.getShape().getShape();
        long[] values = hwc.toLongArray();
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            ints[i] = Math.toIntExact(values[i]);
        }
        return RgbImage.of((int) shape[1], (int) shape[0], ints);
    }
}
