package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import dev.tuneforge.worker.engine.nn.GroupNorm;
import dev.tuneforge.worker.engine.nn.Layer;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code Transformer2DModel} on continuous input: group norm, {@code proj_in} to
 * {@code heads × head_dim} channels, the feature map flattened to {@code H·W} tokens through the
 * {@code transformer_blocks}, {@code proj_out} back, plus the residual. The projections are 1×1
 * convolutions (SD 1.x) or, with {@code use_linear_projection}, linears on the tokens (SD 2.x).
 */
public final class Transformer2DModel {

    private static final float NORM_EPS = 1e-6f;

    private final GroupNorm norm;
    private final Layer projIn;
    private final List<BasicTransformerBlock> blocks = new ArrayList<>();
    private final Layer projOut;
    private final boolean linearProjection;

    public Transformer2DModel(ModuleFactory factory, int channels, int heads, int layers, int crossAttentionDim,
                              int groups, boolean linearProjection, boolean onlyCrossAttention,
                              AttentionSlicing slicing) {
        UNetConfig.requireHeadsDivide(channels, heads, factory.name());
        int headDim = channels / heads;
        int inner = heads * headDim;
        this.linearProjection = linearProjection;
        this.norm = factory.groupNorm("norm", groups, channels, NORM_EPS);
        this.projIn = projection(factory, "proj_in", channels, inner);
        for (int i = 0; i < layers; i++) {
            blocks.add(new BasicTransformerBlock(factory.prefixed("transformer_blocks." + i), inner, heads, headDim,
                    crossAttentionDim, onlyCrossAttention, slicing));
        }
        this.projOut = projection(factory, "proj_out", inner, channels);
    }

    private Layer projection(ModuleFactory factory, String key, int in, int out) {
        return linearProjection ? factory.linear(key, in, out, true) : factory.conv(key, in, out, 1, 1, 0);
    }

    /**
     * @param x {@code (B, C, H, W)}
     * @param context text states {@code (B, T, crossAttentionDim)}
     */
    public NDArray forward(NDArray x, NDArray context) {
        long height = x.getShape().get(2);
        long width = x.getShape().get(3);
        NDArray h = norm.forward(x);
        if (linearProjection) {
            h = projIn.forward(FeatureMaps.toTokens(h));
        } else {
            h = FeatureMaps.toTokens(projIn.forward(h));
        }
        for (BasicTransformerBlock block : blocks) {
            h = block.forward(h, context);
        }
        if (linearProjection) {
            h = FeatureMaps.toMap(projOut.forward(h), height, width);
        } else {
            h = projOut.forward(FeatureMaps.toMap(h, height, width));
        }
        return h.addi(x);
    }
}
