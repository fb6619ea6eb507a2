package dev.tuneforge.worker.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsTest {

    @TempDir
    Path tmp;

    private NDManager manager;

    @BeforeEach
    void setUp() throws IOException {
        manager = NDManager.newBaseManager();
        new SafeTensorsWriter()
                .add("down_blocks.0.attn.to_q.weight", manager.ones(new Shape(4, 2)))
                .add("down_blocks.0.attn.to_k.weight", manager.zeros(new Shape(4, 2)))
                .add("conv_in.weight", manager.ones(new Shape(3, 1, 1, 1)))
                .write(tmp.resolve("diffusion_pytorch_model.safetensors"));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void prefixedViewsLoadByShortNameAndTrackUse() throws IOException {
        try (Weights weights = Weights.openDir(tmp, manager)) {
            Weights attn = weights.prefixed("down_blocks.0").prefixed("attn");
            assertThat(attn.prefix()).isEqualTo("down_blocks.0.attn.");
            NDArray q = attn.get("to_q.weight", new Shape(4, 2));
            assertThat(q.getManager()).isSameAs(manager);
            assertThat(q.getName()).isEqualTo("down_blocks.0.attn.to_q.weight");
            assertThat(attn.has("to_k.weight")).isTrue();
            assertThat(attn.keys()).containsExactly("down_blocks.0.attn.to_k.weight", "down_blocks.0.attn.to_q.weight");
            assertThat(weights.unusedKeys()).containsExactly("conv_in.weight", "down_blocks.0.attn.to_k.weight");
            assertThat(attn.unusedKeys()).containsExactly("down_blocks.0.attn.to_k.weight");
        }
    }

    @Test
    void missingKeyNamesTheKeyAndItsNeighbours() throws IOException {
        try (Weights weights = Weights.openDir(tmp, manager)) {
            assertThatThrownBy(() -> weights.prefixed("down_blocks.0.attn").get("to_v.weight", new Shape(4, 2)))
                    .isInstanceOf(SafeTensorsException.class)
                    .hasMessageContaining("'down_blocks.0.attn.to_v.weight'")
                    .hasMessageContaining("down_blocks.0.attn.to_q.weight")
                    .hasMessageContaining("down_blocks.0.attn.to_k.weight");
        }
    }

    @Test
    void shapeMismatchNamesKeyAndBothShapes() throws IOException {
        try (Weights weights = Weights.openDir(tmp, manager)) {
            assertThatThrownBy(() -> weights.get("conv_in.weight", new Shape(3, 4, 3, 3)))
                    .isInstanceOf(SafeTensorsException.class)
                    .hasMessageContaining("'conv_in.weight'")
                    .hasMessageContaining("(3, 1, 1, 1)")
                    .hasMessageContaining("(3, 4, 3, 3)");
        }
    }

    @Test
    void shardedFoldersAreReadThroughTheirIndex() throws IOException {
        Path sharded = Files.createDirectory(tmp.resolve("sharded"));
        new SafeTensorsWriter().add("a", manager.ones(new Shape(1))).write(sharded.resolve("part-1.safetensors"));
        new SafeTensorsWriter().add("b", manager.ones(new Shape(2))).write(sharded.resolve("part-2.safetensors"));
        Files.writeString(sharded.resolve("model.safetensors.index.json"),
                "{\"weight_map\": {\"a\": \"part-1.safetensors\", \"b\": \"part-2.safetensors\"}}");
        try (Weights weights = Weights.openDir(sharded, manager)) {
            assertThat(weights.keys()).containsExactly("a", "b");
            assertThat(weights.get("b", new Shape(2)).toFloatArray()).containsExactly(1f, 1f);
        }
    }

    @Test
    void duplicateKeysAcrossFilesAreRejected() throws IOException {
        Path other = tmp.resolve("other.safetensors");
        new SafeTensorsWriter().add("conv_in.weight", manager.ones(new Shape(1))).write(other);
        try (SafeTensorsFile a = SafeTensorsFile.open(tmp.resolve("diffusion_pytorch_model.safetensors"));
             SafeTensorsFile b = SafeTensorsFile.open(other)) {
            assertThatThrownBy(() -> Weights.of(manager, List.of(a, b)))
                    .hasMessageContaining("'conv_in.weight'")
                    .hasMessageContaining(other.toString());
        }
    }

    @Test
    void folderWithoutWeightsFailsNamingIt() {
        Path empty = tmp.resolve("empty");
        assertThatThrownBy(() -> Weights.openDir(Files.createDirectory(empty), manager))
                .hasMessageContaining(empty.toString());
    }
}
