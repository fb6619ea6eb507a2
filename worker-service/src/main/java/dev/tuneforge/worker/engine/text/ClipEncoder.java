package dev.tuneforge.worker.engine.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tuneforge.worker.engine.nn.Linear;
import dev.tuneforge.worker.engine.weights.Weights;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The stack of {@link ClipEncoderLayer}s under {@code encoder.layers.N}. */
public final class ClipEncoder {

    private final List<ClipEncoderLayer> layers;

    private ClipEncoder(List<ClipEncoderLayer> layers) {
        this.layers = layers;
    }

    /** Loads {@code config.layers()} layers from {@code weights} ({@code ….encoder}). */
    public static ClipEncoder load(Weights weights, ClipTowerConfig config) {
        List<ClipEncoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < config.layers(); i++) {
            layers.add(ClipEncoderLayer.load(weights.prefixed("layers." + i), config));
        }
        return new ClipEncoder(Collections.unmodifiableList(layers));
    }

    /** Every linear layer of every encoder layer, by full state-dict name, in layer order. */
    public Map<String, Linear> linears() {
        Map<String, Linear> byName = new LinkedHashMap<>();
        layers.forEach(layer -> byName.putAll(layer.linears()));
        return byName;
    }

    /**
     * @return the input followed by the output of every layer ({@code layers + 1} arrays), as
     *     transformers' {@code hidden_states}
     */
    public List<NDArray> forward(NDArray embeddings, NDArray mask) {
        List<NDArray> states = new ArrayList<>(layers.size() + 1);
        states.add(embeddings);
        NDArray hidden = embeddings;
        for (ClipEncoderLayer layer : layers) {
            hidden = layer.forward(hidden, mask);
            states.add(hidden);
        }
        return states;
    }

    /**
     * The last layer's output only, each layer run in its own sub-manager so that its
     * intermediates are freed as soon as it is done: what a large batch through a deep tower
     * (e.g. a ViT-L image encoder) needs. The result is in the embeddings' manager.
     */
    public NDArray forwardLast(NDArray embeddings, NDArray mask) {
        NDManager owner = embeddings.getManager();
        NDArray hidden = embeddings;
        for (ClipEncoderLayer layer : layers) {
            try (NDManager step = owner.newSubManager()) {
                if (hidden == embeddings) {
                    hidden.tempAttach(step);
                } else {
                    hidden.attach(step);
                }
                NDArray out = layer.forward(hidden, mask);
                out.attach(owner);
                hidden = out;
            }
        }
        return hidden;
    }
}
