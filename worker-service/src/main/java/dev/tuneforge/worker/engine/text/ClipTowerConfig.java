package dev.tuneforge.worker.engine.text;

import dev.tuneforge.worker.engine.nn.Activation;
import dev.tuneforge.worker.engine.weights.ModelConfig;

/**
 * The transformer sizes a CLIP tower's config.json gives (text or vision: the keys are the same).
 * Defaults are transformers' CLIPTextConfig defaults.
 */
public record ClipTowerConfig(int hiddenSize, int intermediateSize, int heads, int layers, float layerNormEps,
                              Activation activation) {

    public static ClipTowerConfig of(ModelConfig config) {
        String act = config.getString("hidden_act", "quick_gelu");
        Activation activation;
        try {
            activation = Activation.named(act);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config " + config.source() + ": hidden_act: " + e.getMessage(), e);
        }
        return new ClipTowerConfig(config.getInt("hidden_size", 512), config.getInt("intermediate_size", 2048),
                config.getInt("num_attention_heads", 8), config.getInt("num_hidden_layers", 12),
                (float) config.getDouble("layer_norm_eps", 1e-5), activation);
    }
}
