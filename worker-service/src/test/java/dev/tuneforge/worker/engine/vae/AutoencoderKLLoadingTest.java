package dev.tuneforge.worker.engine.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Goldens;
import dev.tuneforge.worker.engine.testing.Tensors;
import dev.tuneforge.worker.engine.unet.ModelFolders;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoencoderKLLoadingTest {

    /** diffusers' pre-0.14 names of the mid-block attention projections. */
    private static final Map<String, String> LEGACY = Map.of(
            ".to_q.", ".query.", ".to_k.", ".key.", ".to_v.", ".value.", ".to_out.0.", ".proj_attn.");

    private static Fixtures fixtures;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        fixtures = Goldens.fixtures("vae");
    }

    @AfterAll
    static void close() throws IOException {
        fixtures.close();
    }

    @Test
    void checkpointsWithLegacyAttentionNamesDecodeTheSame() throws IOException {
        ModelFolders.rewrite(fixtures.dir(), tmp, config -> { }, ModelFolders.renaming(name -> {
            if (!name.contains(".mid_block.attentions.")) {
                return name;
            }
            String renamed = name;
            for (Map.Entry<String, String> e : LEGACY.entrySet()) {
                renamed = renamed.replace(e.getKey(), e.getValue());
            }
            return renamed;
        }));
        try (NDManager manager = NDManager.newBaseManager()) {
            AutoencoderKL vae = AutoencoderKL.load(tmp, manager);
            NDArray decoded = vae.decode(fixtures.get("input.latents", manager));
            Tensors.assertClose(decoded, fixtures.get("decode.sample"), 1e-4, "decode.sample, legacy names");
        }
    }

    @Test
    void nonSquareImagesEncodeAndDecodeToMatchingSizes() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            AutoencoderKL vae = AutoencoderKL.load(fixtures.dir(), manager);
            int factor = 1 << (vae.config().blockOutChannels().size() - 1);
            Shape image = new Shape(2, vae.config().inChannels(), 3L * factor * 2, 5L * factor * 2);
            LatentDistribution latents = vae.encode(manager.randomUniform(-1, 1, image));
            Shape latentShape = new Shape(2, vae.config().latentChannels(), 6, 10);
            assertThat(latents.mean().getShape()).isEqualTo(latentShape);
            assertThat(latents.sample(manager.randomNormal(latentShape)).getShape()).isEqualTo(latentShape);
            assertThat(vae.decode(latents.mean()).getShape())
                    .isEqualTo(new Shape(2, vae.config().outChannels(), image.get(2), image.get(3)));
        }
    }

    @Test
    void unsupportedBlockTypesAndWrongInputsFailClearly() throws IOException {
        assertThatThrownBy(() -> VaeConfig.from(ModelConfig.parse(
                "{\"block_out_channels\": [32], \"down_block_types\": [\"AttnDownEncoderBlock2D\"]}", "vae config")))
                .hasMessageContaining("down_block_types")
                .hasMessageContaining("AttnDownEncoderBlock2D");
        try (NDManager manager = NDManager.newBaseManager()) {
            AutoencoderKL vae = AutoencoderKL.load(fixtures.dir(), manager);
            assertThatThrownBy(() -> vae.decode(manager.zeros(new Shape(1, 3, 8, 8))))
                    .hasMessageContaining("latents")
                    .hasMessageContaining("(1, 3, 8, 8)");
        }
    }
}
