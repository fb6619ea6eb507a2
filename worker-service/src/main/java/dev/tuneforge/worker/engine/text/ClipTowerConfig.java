package dev.tuneforge.worker.engine.text;

import dev.tuneforge.worker.engine.nn.Activation;
import dev.tuneforge.worker.engine.weights.ModelConfig;

/**
 * The transformer sizes a CLIP tower's config.json gives (text or vision: the keys are the same).
 * Missing keys take transformers' defaults for the tower.
 */
public record ClipTowerConfig(int hiddenSize, int intermediateSize, int heads, int layers, float layerNormEps,
                              Activation activation) {

    /** transformers' CLIPTextConfig defaults. */
    public static final ClipTowerConfig TEXT_DEFAULTS = new ClipTowerConfig(512, 2048, 8, 12, 1e-5f,
            Activation.QUICK_GELU);

    /** A text tower's config. */
    public static ClipTowerConfig of(ModelConfig config) {
        return of(config, TEXT_DEFAULTS);
    }

    /** The sizes {@code config} gives, the missing ones from {@code defaults}. */
    public static ClipTowerConfig of(ModelConfig config, ClipTowerConfig defaults) {
        Activation activation = defaults.activation();
        if (config.has("hidden_act")) {
            try {
                activation = Activation.named(config.getString("hidden_act"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("config " + config.source() + ": hidden_act: " + e.getMessage(), e);
            }
        }
        return new ClipTowerConfig(config.getInt("hidden_size", defaults.hiddenSize()),
                config.getInt("intermediate_size", defaults.intermediateSize()),
                config.getInt("num_attention_heads", defaults.heads()),
                config.getInt("num_hidden_layers", defaults.layers()),
                (float) config.getDouble("layer_norm_eps", defaults.layerNormEps()), activation);
    }
}
