package dev.tuneforge.worker.engine.unet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.worker.engine.nn.Activation;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The architecture a diffusers {@code UNet2DConditionModel} config.json describes, with diffusers'
 * defaults for absent keys and every per-block option expanded to one entry per down block.
 * Options this port does not implement fail naming the key, rather than being silently ignored.
 *
 * @param numHeads attention heads per down block; diffusers' legacy {@code attention_head_dim}
 *        means the number of heads (not the size of one)
 * @param midBlockType {@code UNetMidBlock2DCrossAttn}, or null for a UNet without a mid block
 */
public record UNetConfig(
        int inChannels,
        int outChannels,
        boolean centerInputSample,
        boolean flipSinToCos,
        double freqShift,
        List<String> downBlockTypes,
        String midBlockType,
        List<String> upBlockTypes,
        List<Integer> blockOutChannels,
        List<Integer> layersPerBlock,
        List<Integer> transformerLayersPerBlock,
        List<Integer> numHeads,
        List<Integer> crossAttentionDim,
        List<Boolean> onlyCrossAttention,
        int downsamplePadding,
        float midBlockScaleFactor,
        Activation activation,
        int normNumGroups,
        float normEps,
        boolean useLinearProjection,
        boolean upcastAttention,
        int timeEmbedDim,
        int convInKernel,
        int convOutKernel) {

    public static final String CROSS_ATTN_DOWN = "CrossAttnDownBlock2D";
    public static final String DOWN = "DownBlock2D";
    public static final String CROSS_ATTN_UP = "CrossAttnUpBlock2D";
    public static final String UP = "UpBlock2D";
    public static final String MID_CROSS_ATTN = "UNetMidBlock2DCrossAttn";

    /** Keys whose only supported value is null/absent: each switches on a feature not ported. */
    private static final List<String> MUST_BE_NULL = List.of(
            "num_attention_heads", "class_embed_type", "num_class_embeds", "addition_embed_type",
            "encoder_hid_dim", "encoder_hid_dim_type", "time_cond_proj_dim", "timestep_post_act",
            "time_embedding_act_fn", "cross_attention_norm", "reverse_transformer_layers_per_block",
            "projection_class_embeddings_input_dim");

    /** Keys whose only supported value is the given default. */
    private static final Map<String, Object> MUST_EQUAL = Map.of(
            "resnet_time_scale_shift", "default",
            "time_embedding_type", "positional",
            "attention_type", "default",
            "dual_cross_attention", false,
            "class_embeddings_concat", false);

    public UNetConfig {
        int blocks = downBlockTypes.size();
        if (upBlockTypes.size() != blocks || blockOutChannels.size() != blocks) {
            throw new IllegalArgumentException("UNet config: down_block_types " + downBlockTypes + ", up_block_types "
                    + upBlockTypes + " and block_out_channels " + blockOutChannels + " must have the same length");
        }
        for (int i = 0; i < blocks; i++) {
            requireHeadsDivide(blockOutChannels.get(i), numHeads.get(i), "down_blocks." + i);
        }
        downBlockTypes = List.copyOf(downBlockTypes);
        upBlockTypes = List.copyOf(upBlockTypes);
        blockOutChannels = List.copyOf(blockOutChannels);
        layersPerBlock = List.copyOf(layersPerBlock);
        transformerLayersPerBlock = List.copyOf(transformerLayersPerBlock);
        numHeads = List.copyOf(numHeads);
        crossAttentionDim = List.copyOf(crossAttentionDim);
        onlyCrossAttention = List.copyOf(onlyCrossAttention);
    }

    /** Reads and validates a UNet2DConditionModel config. */
    public static UNetConfig from(ModelConfig c) {
        for (String key : MUST_BE_NULL) {
            if (c.has(key)) {
                throw unsupported(c, key, c.node(key).toString());
            }
        }
        MUST_EQUAL.forEach((key, expected) -> {
            Object actual = expected instanceof Boolean ? (Object) c.getBoolean(key, (Boolean) expected)
                    : c.getString(key, (String) expected);
            if (!actual.equals(expected)) {
                throw unsupported(c, key, actual + " (only " + expected + " is supported)");
            }
        });
        if (explicitNull(c, "norm_num_groups")) {
            throw unsupported(c, "norm_num_groups", "null (the UNet needs group norms)");
        }
        List<String> down = c.has("down_block_types") ? c.getStringList("down_block_types")
                : List.of(CROSS_ATTN_DOWN, CROSS_ATTN_DOWN, CROSS_ATTN_DOWN, DOWN);
        List<String> up = c.has("up_block_types") ? c.getStringList("up_block_types")
                : List.of(UP, CROSS_ATTN_UP, CROSS_ATTN_UP, CROSS_ATTN_UP);
        down = checkTypes(c, "down_block_types", down, List.of(CROSS_ATTN_DOWN, DOWN));
        up = checkTypes(c, "up_block_types", up, List.of(CROSS_ATTN_UP, UP));
        String mid = explicitNull(c, "mid_block_type") ? null : c.getString("mid_block_type", MID_CROSS_ATTN);
        if (mid != null && !mid.equals(MID_CROSS_ATTN)) {
            throw unsupported(c, "mid_block_type", mid + " (supported: " + MID_CROSS_ATTN + " or null)");
        }
        int blocks = down.size();
        List<Integer> channels = c.has("block_out_channels") ? c.getIntList("block_out_channels")
                : List.of(320, 640, 1280, 1280);
        int timeInput = channels.get(0);
        return new UNetConfig(
                c.getInt("in_channels", 4),
                c.getInt("out_channels", 4),
                c.getBoolean("center_input_sample", false),
                c.getBoolean("flip_sin_to_cos", true),
                c.getDouble("freq_shift", 0),
                down, mid, up, channels,
                perBlock(c, "layers_per_block", 2, blocks),
                perBlock(c, "transformer_layers_per_block", 1, blocks),
                perBlock(c, "attention_head_dim", 8, blocks),
                perBlock(c, "cross_attention_dim", 1280, blocks),
                perBlockFlags(c, "only_cross_attention", blocks),
                c.getInt("downsample_padding", 1),
                (float) c.getDouble("mid_block_scale_factor", 1),
                Activation.named(c.getString("act_fn", "silu")),
                c.getInt("norm_num_groups", 32),
                (float) c.getDouble("norm_eps", 1e-5),
                c.getBoolean("use_linear_projection", false),
                c.getBoolean("upcast_attention", false),
                c.getInt("time_embedding_dim", timeInput * 4),
                c.getInt("conv_in_kernel", 3),
                c.getInt("conv_out_kernel", 3));
    }

    public int blockCount() {
        return downBlockTypes.size();
    }

    /** Channels of the sinusoidal timestep projection. */
    public int timeProjDim() {
        return blockOutChannels.get(0);
    }

    static void requireHeadsDivide(int channels, int heads, String where) {
        if (heads <= 0 || channels % heads != 0) {
            throw new IllegalArgumentException("UNet config: " + where + " has " + channels + " channels, which "
                    + heads + " attention heads (attention_head_dim) do not divide");
        }
    }

    private static List<Integer> perBlock(ModelConfig c, String key, int defaultValue, int blocks) {
        return c.has(key) ? c.getIntList(key, blocks) : Collections.nCopies(blocks, defaultValue);
    }

    private static List<Boolean> perBlockFlags(ModelConfig c, String key, int blocks) {
        if (!c.has(key)) {
            return Collections.nCopies(blocks, false);
        }
        JsonNode node = c.node(key);
        if (node.isBoolean()) {
            return Collections.nCopies(blocks, node.asBoolean());
        }
        List<Boolean> flags = new ArrayList<>();
        node.forEach(n -> {
            if (!n.isBoolean()) {
                throw new IllegalArgumentException("config " + c.source() + ": '" + key + "' is " + node
                        + ", expected a boolean or a list of booleans");
            }
            flags.add(n.asBoolean());
        });
        if (flags.size() != blocks) {
            throw new IllegalArgumentException("config " + c.source() + ": '" + key + "' has " + flags.size()
                    + " entries " + flags + ", expected " + blocks);
        }
        return flags;
    }

    /** diffusers accepts the {@code UNetRes} prefix of older configs and strips it. */
    private static List<String> checkTypes(ModelConfig c, String key, List<String> types, List<String> known) {
        List<String> normalized = new ArrayList<>();
        for (String type : types) {
            String name = type.startsWith("UNetRes") ? type.substring("UNetRes".length()) : type;
            if (!known.contains(name)) {
                throw unsupported(c, key, "block type '" + type + "' (supported: " + known + ")");
            }
            normalized.add(name);
        }
        return normalized;
    }

    private static boolean explicitNull(ModelConfig c, String key) {
        return c.keys().contains(key) && !c.has(key);
    }

    private static IllegalArgumentException unsupported(ModelConfig c, String key, String value) {
        return new IllegalArgumentException("config " + c.source() + ": unsupported '" + key + "' = "
                + Objects.toString(value));
    }
}
