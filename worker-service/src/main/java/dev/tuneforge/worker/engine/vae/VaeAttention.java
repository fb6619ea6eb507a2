package dev.tuneforge.worker.engine.vae;

import ai.djl.ndarray.NDArray;
import dev.tuneforge.worker.engine.nn.GroupNorm;
import dev.tuneforge.worker.engine.unet.AttentionSlicing;
import dev.tuneforge.worker.engine.unet.FeatureMaps;
import dev.tuneforge.worker.engine.unet.ModuleFactory;
import dev.tuneforge.worker.engine.unet.MultiHeadAttention;

/**
 * The VAE mid block's attention (diffusers {@code Attention} with {@code group_norm} and a
 * residual connection): one head over all channels, attending across the spatial positions.
 * Checkpoints saved before diffusers renamed its attention blocks name the projections
 * {@code query/key/value/proj_attn}; both namings load.
 */
final class VaeAttention {

    private static final String[] LEGACY_NAMES = {"query", "key", "value", "proj_attn"};

    private final GroupNorm groupNorm;
    private final MultiHeadAttention attention;

    VaeAttention(ModuleFactory factory, int channels, int groups, AttentionSlicing slicing) {
        this.groupNorm = factory.groupNorm("group_norm", groups, channels, VaeConfig.EPS);
        this.attention = factory.has("query.weight")
                ? new MultiHeadAttention(factory, LEGACY_NAMES, channels, channels, 1, channels, true, slicing)
                : new MultiHeadAttention(factory, channels, channels, 1, channels, true, slicing);
    }

    NDArray forward(NDArray x) {
        NDArray tokens = FeatureMaps.toTokens(groupNorm.forward(x));
        NDArray attended = attention.forward(tokens, tokens);
        return FeatureMaps.toMap(attended, x.getShape().get(2), x.getShape().get(3)).addi(x);
    }
}
