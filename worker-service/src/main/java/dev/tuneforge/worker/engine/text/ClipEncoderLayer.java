package dev.tuneforge.worker.engine.text;

import ai.djl.ndarray.NDArray;
import dev.tuneforge.worker.engine.nn.Activation;
import dev.tuneforge.worker.engine.nn.LayerNorm;
import dev.tuneforge.worker.engine.nn.Linear;
import dev.tuneforge.worker.engine.weights.Weights;
import java.util.LinkedHashMap;
import java.util.Map;

/** A pre-LN transformer layer of CLIP: {@code x + attn(ln1(x))}, then {@code x + fc2(act(fc1(ln2(x))))}. */
public final class ClipEncoderLayer {

    private final LayerNorm norm1;
    private final ClipAttention attention;
    private final LayerNorm norm2;
    private final Linear fc1;
    private final Activation activation;
    private final Linear fc2;

    private ClipEncoderLayer(LayerNorm norm1, ClipAttention attention, LayerNorm norm2, Linear fc1,
                             Activation activation, Linear fc2) {
        this.norm1 = norm1;
        this.attention = attention;
        this.norm2 = norm2;
        this.fc1 = fc1;
        this.activation = activation;
        this.fc2 = fc2;
    }

    /** Loads {@code layer_norm1}, {@code self_attn}, {@code layer_norm2}, {@code mlp.fc1}, {@code mlp.fc2} under {@code weights}. */
    public static ClipEncoderLayer load(Weights weights, ClipTowerConfig config) {
        long hidden = config.hiddenSize();
        return new ClipEncoderLayer(
                LayerNorm.load(weights, "layer_norm1", hidden, config.layerNormEps()),
                ClipAttention.load(weights.prefixed("self_attn"), hidden, config.heads()),
                LayerNorm.load(weights, "layer_norm2", hidden, config.layerNormEps()),
                Linear.load(weights, "mlp.fc1", hidden, config.intermediateSize(), true),
                config.activation(),
                Linear.load(weights, "mlp.fc2", config.intermediateSize(), hidden, true));
    }

    /** Every linear layer (attention projections, then the MLP), by full state-dict name. */
    public Map<String, Linear> linears() {
        Map<String, Linear> byName = new LinkedHashMap<>(attention.linears());
        byName.put(fc1.name(), fc1);
        byName.put(fc2.name(), fc2);
        return byName;
    }

    /** @param mask additive attention mask as {@link ClipAttention#forward} takes it, or null */
    public NDArray forward(NDArray hidden, NDArray mask) {
        NDArray attended = hidden.add(attention.forward(norm1.forward(hidden), mask));
        return attended.add(fc2.forward(activation.forward(fc1.forward(norm2.forward(attended)))));
    }
}
