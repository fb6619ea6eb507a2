package dev.tuneforge.worker.engine.clip;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.testing.Goldens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomClipCheckpointTest {

    /** The sharded random checkpoint has exactly the weights the loader needs (none missing, none unused). */
    @Test
    void writesALoadableShardedCheckpoint(@TempDir Path dir) throws IOException {
        String config = Files.readString(Goldens.dir("clip").resolve("config.json"));
        RandomClipCheckpoint.write(config, dir, 3);
        assertThat(dir.resolve("model.safetensors.index.json")).exists();
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipModel.load(dir, manager);
            assertThat(model.logitScale()).isCloseTo(100f, org.assertj.core.data.Offset.offset(1e-3f));
            int size = model.vision().config().imageSize();
            NDArray embeds = model.imageEmbeds(manager.randomNormal(new Shape(2, 3, size, size)));
            assertThat(embeds.norm(new int[] {1}).toFloatArray()).containsExactly(new float[] {1f, 1f},
                    org.assertj.core.data.Offset.offset(1e-5f));
        }
    }
}
