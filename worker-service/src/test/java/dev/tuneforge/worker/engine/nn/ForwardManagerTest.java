package dev.tuneforge.worker.engine.nn;

import static dev.tuneforge.worker.engine.testing.Tensors.randn;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/**
 * Forward passes must put every intermediate into the input's manager: anything attached to the
 * long-lived weights' manager would grow native memory on every denoising step.
 */
class ForwardManagerTest {

    @Test
    void modulesLeaveTheWeightsManagerUntouched() {
        try (NDManager weights = NDManager.newBaseManager(); NDManager step = NDManager.newBaseManager()) {
            Layer[] layers = {
                new Linear("l", randn(weights, 1, 8, 4), randn(weights, 2, 8)),
                new Conv2d("c", randn(weights, 3, 4, 4, 3, 3), randn(weights, 4, 4), 1, 1, 1),
                new GroupNorm("g", 2, 1e-5f, randn(weights, 5, 4), randn(weights, 6, 4)),
                new LayerNorm("n", 1e-5f, randn(weights, 7, 4), randn(weights, 8, 4)),
                Activation.SILU, Activation.GELU, Activation.GELU_TANH, Activation.QUICK_GELU,
            };
            int before = weights.getManagedArrays().size();
            NDArray image = randn(step, 9, 1, 4, 5, 5);
            NDArray tokens = randn(step, 10, 2, 3, 4);
            for (Layer layer : layers) {
                NDArray input = layer instanceof Linear || layer instanceof LayerNorm ? tokens : image;
                assertThat(layer.forward(input).getManager()).as(layer.toString()).isSameAs(step);
            }
            NDArray k = randn(step, 11, 4, 6, 2);
            Attention.scaledDotProduct(randn(step, 12, 4, 5, 2), k, k, randn(weights, 13, 1, 5, 6), 1f,
                    Attention.Options.unsliced().withSliceSize(3).withQuerySliceSize(2));
            assertThat(weights.getManagedArrays()).hasSize(before + 1);
        }
    }
}
