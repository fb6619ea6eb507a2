package dev.tuneforge.worker.engine.unet;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.nn.Linear;
import dev.tuneforge.worker.engine.testing.Tensors;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Architectures and inputs other than the goldens', with seeded random weights: other block
 * orders, per-block head lists, linear projections, several transformer layers, odd and
 * non-square latents, other batch sizes.
 */
class UNetArchitectureVariantsTest {

    /** SD 2.x style: linear projections, per-block head counts, three levels, other block order. */
    private static final String SD2_LIKE = """
            {"block_out_channels": [32, 64, 64], "layers_per_block": 1, "norm_num_groups": 8,
             "down_block_types": ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
             "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
             "attention_head_dim": [2, 4, 8], "cross_attention_dim": 24, "use_linear_projection": true,
             "upcast_attention": true}""";

    /** Per-block layer counts, two transformer layers, cross-attention-only first block, no mid block. */
    private static final String MIXED = """
            {"block_out_channels": [16, 32], "layers_per_block": [1, 2], "norm_num_groups": 8,
             "down_block_types": ["CrossAttnDownBlock2D", "DownBlock2D"],
             "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D"], "attention_head_dim": 4,
             "cross_attention_dim": 12, "transformer_layers_per_block": [2, 1],
             "only_cross_attention": [true, false], "mid_block_type": null, "center_input_sample": true,
             "in_channels": 3, "out_channels": 5, "freq_shift": 1, "flip_sin_to_cos": false}""";

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private UNet2DConditionModel model(String json, long seed) throws IOException {
        return UNet2DConditionModel.randomInit(ModelConfig.parse(json, "variant"), manager, seed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,8,8", "3,13,21", "2,5,32", "1,17,9"})
    void outputHasTheSampleShapeForAnyBatchAndLatentSize(String dims) throws IOException {
        String[] d = dims.split(",");
        for (String json : new String[] {SD2_LIKE, MIXED}) {
            UNet2DConditionModel unet = model(json, 1);
            UNetConfig c = unet.config();
            long batch = Long.parseLong(d[0]);
            Shape sampleShape = new Shape(batch, c.inChannels(), Long.parseLong(d[1]), Long.parseLong(d[2]));
            try (NDManager step = manager.newSubManager()) {
                NDArray out = unet.forward(step.randomNormal(sampleShape), step.full(new Shape(batch), 7f),
                        step.randomNormal(new Shape(batch, 5, c.crossAttentionDim().get(0))));
                assertThat(out.getShape()).isEqualTo(new Shape(batch, c.outChannels(), sampleShape.get(2),
                        sampleShape.get(3)));
                assertThat(out.isInfinite().any().getBoolean() || out.isNaN().any().getBoolean()).isFalse();
            }
        }
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() throws IOException {
        NDArray a = run(model(SD2_LIKE, 3));
        NDArray b = run(model(SD2_LIKE, 3));
        NDArray c = run(model(SD2_LIKE, 4));
        Tensors.assertClose(a, b, 0, "same seed");
        assertThat(a.sub(c).abs().max().getFloat()).isGreaterThan(1e-3f);
    }

    @Test
    void batchItemsAreComputedIndependently() throws IOException {
        UNet2DConditionModel unet = model(SD2_LIKE, 5);
        try (NDManager step = manager.newSubManager()) {
            NDArray sample = step.randomNormal(new Shape(2, 4, 12, 10));
            NDArray t = step.create(new long[] {10, 900});
            NDArray context = step.randomNormal(new Shape(2, 7, 24));
            NDArray both = unet.forward(sample, t, context);
            for (int i = 0; i < 2; i++) {
                String item = i + ":" + (i + 1);
                NDArray single = unet.forward(sample.get(item), t.get(item), context.get(item));
                Tensors.assertClose(single, both.get(item), 1e-5, "batch item " + i);
            }
        }
    }

    @Test
    void everyAttentionProjectionIsAnAdaptableLinearUnderItsStateDictName() throws IOException {
        UNet2DConditionModel unet = model(SD2_LIKE, 6);
        Map<String, Linear> linears = unet.linears();
        // Two cross-attention down blocks with 1 layer, two cross-attention up blocks with 2, the mid block:
        // 7 transformer blocks, each with attn1 and attn2 of four projections.
        assertThat(linears.keySet().stream().filter(n -> n.matches(".*\\.attn[12]\\.(to_q|to_k|to_v|to_out\\.0)")))
                .hasSize(7 * 2 * 4)
                .contains("down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q",
                        "up_blocks.2.attentions.1.transformer_blocks.0.attn2.to_out.0",
                        "mid_block.attentions.0.transformer_blocks.0.attn2.to_k");
        assertThat(linears).containsKeys("time_embedding.linear_1", "mid_block.attentions.0.proj_in",
                "down_blocks.0.resnets.0.time_emb_proj");
        Linear toOut = linears.get("mid_block.attentions.0.transformer_blocks.0.attn1.to_out.0");
        NDArray before = run(unet);
        toOut.setAdapter((layer, input, output) -> output.mul(3));
        NDArray adapted = run(unet);
        toOut.setAdapter(null);
        assertThat(before.sub(adapted).abs().max().getFloat()).isGreaterThan(1e-4f);
        Tensors.assertClose(run(unet), before, 0, "adapter removed");
    }

    private NDArray run(UNet2DConditionModel unet) {
        NDManager step = manager.newSubManager();
        NDArray sample = step.ones(new Shape(1, unet.config().inChannels(), 8, 8));
        NDArray context = step.ones(new Shape(1, 3, unet.config().crossAttentionDim().get(0))).mul(0.5f);
        NDArray out = unet.forward(sample, step.create(250L), context);
        out.attach(manager);
        step.close();
        return out;
    }
}
