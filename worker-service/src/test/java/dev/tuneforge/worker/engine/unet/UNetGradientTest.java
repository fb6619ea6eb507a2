package dev.tuneforge.worker.engine.unet;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.tuneforge.worker.engine.nn.Linear;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Fine-tuning backpropagates through the forward: its in-place residual adds and the matrix-product
 * convolutions must leave every tensor autograd saved untouched, also after the forward's own
 * manager is closed.
 */
class UNetGradientTest {

    /** 64 channels on a 2×2 second level: its 3×3 convolutions take the unfolded-product path. */
    private static final String CONFIG = """
            {"block_out_channels": [16, 64], "layers_per_block": 1, "norm_num_groups": 8,
             "down_block_types": ["CrossAttnDownBlock2D", "DownBlock2D"],
             "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D"], "attention_head_dim": 2,
             "cross_attention_dim": 8}""";

    @Test
    void gradientsReachAnAdapterOnAnAttentionProjection() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet2DConditionModel unet = UNet2DConditionModel.randomInit(ModelConfig.parse(CONFIG, "tiny"), manager, 2);
            Linear toQ = unet.linears().get("down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q");
            NDArray gain = manager.ones(new Shape(toQ.outFeatures()));
            gain.setRequiresGradient(true);
            toQ.setAdapter((layer, input, output) -> output.mul(gain));
            NDArray sample = manager.randomNormal(new Shape(2, 4, 4, 4));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = unet.forward(sample, manager.create(new float[] {3, 700}),
                        manager.randomNormal(new Shape(2, 5, 8)));
                collector.backward(out.square().mean());
            }
            NDArray grad = gain.getGradient();
            assertThat(grad.getShape()).isEqualTo(gain.getShape());
            assertThat(grad.isNaN().any().getBoolean()).isFalse();
            assertThat(grad.abs().sum().getFloat()).isPositive();
        }
    }
}
