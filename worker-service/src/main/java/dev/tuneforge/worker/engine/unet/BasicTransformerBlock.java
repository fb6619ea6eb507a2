package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import dev.tuneforge.worker.engine.nn.LayerNorm;

/**
 * diffusers' {@code BasicTransformerBlock} (layer-norm variant): pre-norm self-attention
 * ({@code attn1}; cross-attention instead when {@code only_cross_attention}), pre-norm
 * cross-attention on the text states ({@code attn2}), pre-norm GEGLU feed-forward, each residual.
 */
public final class BasicTransformerBlock {

    private static final float LAYER_NORM_EPS = 1e-5f;

    private final LayerNorm norm1;
    private final MultiHeadAttention attn1;
    private final LayerNorm norm2;
    private final MultiHeadAttention attn2;
    private final LayerNorm norm3;
    private final FeedForward ff;
    private final boolean onlyCrossAttention;

    public BasicTransformerBlock(ModuleFactory factory, int dim, int heads, int headDim, int crossAttentionDim,
                                 boolean onlyCrossAttention, AttentionSlicing slicing) {
        this.norm1 = factory.layerNorm("norm1", dim, LAYER_NORM_EPS);
        this.attn1 = new MultiHeadAttention(factory.prefixed("attn1"), dim,
                onlyCrossAttention ? crossAttentionDim : dim, heads, headDim, false, slicing);
        this.norm2 = factory.layerNorm("norm2", dim, LAYER_NORM_EPS);
        this.attn2 = new MultiHeadAttention(factory.prefixed("attn2"), dim, crossAttentionDim, heads, headDim,
                false, slicing);
        this.norm3 = factory.layerNorm("norm3", dim, LAYER_NORM_EPS);
        this.ff = new FeedForward(factory.prefixed("ff"), dim);
        this.onlyCrossAttention = onlyCrossAttention;
    }

    /**
     * @param h tokens {@code (B, L, dim)}
     * @param context text states {@code (B, T, crossAttentionDim)}
     */
    public NDArray forward(NDArray h, NDArray context) {
        NDArray n = norm1.forward(h);
        // Projection outputs are not saved for backward, so the residual adds can run in place.
        h = attn1.forward(n, onlyCrossAttention ? context : n).addi(h);
        h = attn2.forward(norm2.forward(h), context).addi(h);
        return ff.forward(norm3.forward(h)).addi(h);
    }
}
