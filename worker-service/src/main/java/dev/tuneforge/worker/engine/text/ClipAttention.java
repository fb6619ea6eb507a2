package dev.tuneforge.worker.engine.text;

import ai.djl.ndarray.NDArray;
import dev.tuneforge.worker.engine.nn.Attention;
import dev.tuneforge.worker.engine.nn.Linear;
import dev.tuneforge.worker.engine.weights.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** transformers' CLIPAttention ({@code q_proj}, {@code k_proj}, {@code v_proj}, {@code out_proj}), shared by the text and vision towers. */
public final class ClipAttention {

    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear out;
    private final int heads;
    private final float scale;

    private ClipAttention(Linear query, Linear key, Linear value, Linear out, int heads) {
        this.query = query;
        this.key = key;
        this.value = value;
        this.out = out;
        this.heads = heads;
        this.scale = (float) Math.pow(query.outFeatures() / (double) heads, -0.5);
    }

    /** Loads the four biased projections under {@code weights} (e.g. {@code ….layers.0.self_attn}). */
    public static ClipAttention load(Weights weights, long hidden, int heads) {
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("attention '" + weights.prefix() + "': hidden size " + hidden
                    + " is not divisible by " + heads + " heads");
        }
        return new ClipAttention(Linear.load(weights, "q_proj", hidden, hidden, true),
                Linear.load(weights, "k_proj", hidden, hidden, true),
                Linear.load(weights, "v_proj", hidden, hidden, true),
                Linear.load(weights, "out_proj", hidden, hidden, true), heads);
    }

    /** The four projections, by full state-dict name, for adapters such as LoRA. */
    public Map<String, Linear> linears() {
        Map<String, Linear> byName = new LinkedHashMap<>();
        for (Linear linear : List.of(query, key, value, out)) {
            byName.put(linear.name(), linear);
        }
        return byName;
    }

    /**
     * @param hidden {@code (B, L, hidden)}
     * @param mask additive {@code (1 or B*heads, 1 or L, L)}, or null
     */
    public NDArray forward(NDArray hidden, NDArray mask) {
        NDArray q = Attention.splitHeads(query.forward(hidden), heads);
        NDArray k = Attention.splitHeads(key.forward(hidden), heads);
        NDArray v = Attention.splitHeads(value.forward(hidden), heads);
        NDArray attended = Attention.scaledDotProduct(q, k, v, mask, scale, Attention.Options.unsliced());
        return out.forward(Attention.mergeHeads(attended, heads));
    }
}
