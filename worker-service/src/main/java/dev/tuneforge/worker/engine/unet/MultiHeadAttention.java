package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import dev.tuneforge.worker.engine.nn.Attention;
import dev.tuneforge.worker.engine.nn.Linear;

/**
 * diffusers' {@code Attention} module as the transformer blocks and the VAE use it: {@code to_q},
 * {@code to_k}, {@code to_v} and {@code to_out.0} projections (each an {@link Linear} that an
 * adapter can wrap) around multi-head scaled dot-product attention with scale {@code 1/sqrt(head_dim)}.
 */
public final class MultiHeadAttention {

    private final Linear toQ;
    private final Linear toK;
    private final Linear toV;
    private final Linear toOut;
    private final int heads;
    private final float scale;
    private final AttentionSlicing slicing;

    /**
     * @param contextDim width of the keys/values input ({@code queryDim} for self-attention)
     * @param qkvBias whether {@code to_q/to_k/to_v} have biases (the VAE's do, the UNet's don't)
     */
    public MultiHeadAttention(ModuleFactory factory, int queryDim, int contextDim, int heads, int headDim,
                              boolean qkvBias, AttentionSlicing slicing) {
        this(factory, new String[] {"to_q", "to_k", "to_v", "to_out.0"}, queryDim, contextDim, heads, headDim,
                qkvBias, slicing);
    }

    /** As above, with the four projections under other names (q, k, v, out), e.g. a legacy checkpoint's. */
    public MultiHeadAttention(ModuleFactory factory, String[] names, int queryDim, int contextDim, int heads,
                              int headDim, boolean qkvBias, AttentionSlicing slicing) {
        int inner = heads * headDim;
        this.toQ = factory.linear(names[0], queryDim, inner, qkvBias);
        this.toK = factory.linear(names[1], contextDim, inner, qkvBias);
        this.toV = factory.linear(names[2], contextDim, inner, qkvBias);
        this.toOut = factory.linear(names[3], inner, queryDim, true);
        this.heads = heads;
        this.scale = (float) (1 / Math.sqrt(headDim));
        this.slicing = slicing;
    }

    /**
     * @param x queries {@code (B, Lq, queryDim)}
     * @param context keys/values {@code (B, Lk, contextDim)}; {@code x} itself for self-attention
     * @return {@code (B, Lq, queryDim)}
     */
    public NDArray forward(NDArray x, NDArray context) {
        NDArray q = Attention.splitHeads(toQ.forward(x), heads);
        NDArray k = Attention.splitHeads(toK.forward(context), heads);
        NDArray v = Attention.splitHeads(toV.forward(context), heads);
        Attention.Options options = slicing.optionsFor(q.getShape().get(0), q.getShape().get(1), k.getShape().get(1));
        NDArray attended = Attention.scaledDotProduct(q, k, v, null, scale, options);
        return toOut.forward(Attention.mergeHeads(attended, heads));
    }
}
