package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Goldens;
import dev.tuneforge.worker.engine.testing.Tensors;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options the goldens do not use, proven against the reference through an equivalent model: the
 * golden UNet rewritten so the option under test computes the same function.
 */
class UNetEquivalentConfigsTest {

    private static final double ATOL = 1e-4;

    private static Fixtures fixtures;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        fixtures = Goldens.fixtures("unet");
    }

    @AfterAll
    static void close() throws IOException {
        fixtures.close();
    }

    /**
     * A 1×1 convolution over channels is a linear map over tokens, so flipping
     * {@code use_linear_projection} and reshaping {@code proj_in/proj_out} between
     * {@code [out, in, 1, 1]} and {@code [out, in]} must leave the output unchanged.
     */
    @Test
    void linearAndConvolutionProjectionsAgree() throws IOException {
        ModelFolders.rewrite(fixtures.dir(), tmp, config -> {
            boolean linear = config.path("use_linear_projection").asBoolean(false);
            config.put("use_linear_projection", !linear);
        }, (name, value) -> {
            boolean projection = name.matches(".*attentions\\.\\d+\\.proj_(in|out)\\.weight");
            if (!projection) {
                return new ModelFolders.Named(name, value);
            }
            Shape s = value.getShape();
            return new ModelFolders.Named(name, s.dimension() == 4 ? value.reshape(s.get(0), s.get(1))
                    : value.reshape(s.get(0), s.get(1), 1, 1));
        });
        assertMatchesGoldenOutput(tmp);
    }

    /** The legacy head naming as a per-block list repeating the same count is the same model. */
    @Test
    void perBlockHeadListEqualsTheScalar() throws IOException {
        ModelFolders.rewrite(fixtures.dir(), tmp, UNetEquivalentConfigsTest::expandHeadsToList,
                ModelFolders.renaming(name -> name));
        assertMatchesGoldenOutput(tmp);
    }

    private static void expandHeadsToList(ObjectNode config) {
        if (config.get("attention_head_dim").isNumber()) {
            int heads = config.get("attention_head_dim").asInt();
            var list = config.putArray("attention_head_dim");
            config.get("block_out_channels").forEach(ignored -> list.add(heads));
        }
    }

    private static void assertMatchesGoldenOutput(Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet2DConditionModel unet = UNet2DConditionModel.load(dir, manager);
            NDArray out = unet.forward(fixtures.get("input.sample", manager), fixtures.get("input.timesteps", manager),
                    fixtures.get("input.encoder_hidden_states", manager));
            Tensors.assertClose(out, fixtures.get("output.sample"), ATOL, "output.sample of " + dir);
        }
    }
}
