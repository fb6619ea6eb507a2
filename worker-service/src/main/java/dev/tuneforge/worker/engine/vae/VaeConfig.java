package dev.tuneforge.worker.engine.vae;

import dev.tuneforge.worker.engine.nn.Activation;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import java.util.List;

/**
 * The architecture a diffusers {@code AutoencoderKL} config.json describes, with diffusers'
 * defaults for absent keys. Block types other than the SD ones fail naming them.
 *
 * @param shiftFactor subtracted before scaling latents (0 when the config has none, as in SD 1.x/2.x)
 */
public record VaeConfig(
        int inChannels,
        int outChannels,
        int latentChannels,
        List<Integer> blockOutChannels,
        int layersPerBlock,
        Activation activation,
        int normNumGroups,
        float scalingFactor,
        float shiftFactor,
        boolean useQuantConv,
        boolean usePostQuantConv,
        boolean midBlockAttention) {

    public static final String DOWN_ENCODER = "DownEncoderBlock2D";
    public static final String UP_DECODER = "UpDecoderBlock2D";

    /** The norm epsilon diffusers hard-codes for the VAE's encoder and decoder. */
    public static final float EPS = 1e-6f;

    public VaeConfig {
        blockOutChannels = List.copyOf(blockOutChannels);
    }

    public static VaeConfig from(ModelConfig c) {
        List<Integer> channels = c.has("block_out_channels") ? c.getIntList("block_out_channels") : List.of(64);
        checkTypes(c, "down_block_types", DOWN_ENCODER, channels.size());
        checkTypes(c, "up_block_types", UP_DECODER, channels.size());
        return new VaeConfig(
                c.getInt("in_channels", 3),
                c.getInt("out_channels", 3),
                c.getInt("latent_channels", 4),
                channels,
                c.getInt("layers_per_block", 1),
                Activation.named(c.getString("act_fn", "silu")),
                c.getInt("norm_num_groups", 32),
                (float) c.getDouble("scaling_factor", 0.18215),
                (float) c.getDouble("shift_factor", 0),
                c.getBoolean("use_quant_conv", true),
                c.getBoolean("use_post_quant_conv", true),
                c.getBoolean("mid_block_add_attention", true));
    }

    private static void checkTypes(ModelConfig c, String key, String supported, int blocks) {
        List<String> types = c.has(key) ? c.getStringList(key) : List.of(supported);
        for (String type : types) {
            if (!type.equals(supported)) {
                throw new IllegalArgumentException("config " + c.source() + ": unsupported '" + key + "' block type '"
                        + type + "' (supported: " + supported + ")");
            }
        }
        if (types.size() != blocks) {
            throw new IllegalArgumentException("config " + c.source() + ": '" + key + "' has " + types.size()
                    + " entries, block_out_channels " + blocks);
        }
    }
}
