package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code UpBlock2D} and {@code CrossAttnUpBlock2D}: {@code layers_per_block + 1}
 * resnets, each fed the running map concatenated (on channels) with the latest unused skip
 * connection, each followed by its transformer for the cross-attention kind, and an optional
 * {@code upsamplers.0} that resizes to the next skip connection's size.
 */
public final class UNetUpBlock {

    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final List<Transformer2DModel> attentions = new ArrayList<>();
    private final Upsample2D upsampler;

    /**
     * Builds up block {@code index} of {@code config}: per-block options are those of down block
     * {@code blocks - 1 - index}, as the reference reverses its lists.
     */
    public UNetUpBlock(ModuleFactory factory, UNetConfig config, int index, AttentionSlicing slicing) {
        List<Integer> channels = config.blockOutChannels();
        int blocks = config.blockCount();
        int mirror = blocks - 1 - index;
        int out = channels.get(mirror);
        int prevOut = channels.get(Math.min(blocks - 1, mirror + 1));
        int in = channels.get(Math.max(0, mirror - 1));
        int layers = config.layersPerBlock().get(mirror) + 1;
        boolean crossAttention = config.upBlockTypes().get(index).equals(UNetConfig.CROSS_ATTN_UP);
        for (int i = 0; i < layers; i++) {
            int skipChannels = i == layers - 1 ? in : out;
            int resnetIn = i == 0 ? prevOut : out;
            resnets.add(new ResnetBlock2D(factory.prefixed("resnets." + i), resnetIn + skipChannels, out,
                    config.timeEmbedDim(), config.normNumGroups(), config.normEps(), config.activation(), 1f));
            if (crossAttention) {
                attentions.add(new Transformer2DModel(factory.prefixed("attentions." + i), out,
                        config.numHeads().get(mirror), config.transformerLayersPerBlock().get(mirror),
                        config.crossAttentionDim().get(mirror), config.normNumGroups(), config.useLinearProjection(),
                        config.onlyCrossAttention().get(mirror), slicing));
            }
        }
        this.upsampler = index == blocks - 1 ? null : new Upsample2D(factory.prefixed("upsamplers.0"), out);
    }

    /** How many skip connections this block consumes. */
    public int skipCount() {
        return resnets.size();
    }

    public boolean upsamples() {
        return upsampler != null;
    }

    /**
     * @param skips this block's skip connections, oldest first; consumed from the end
     * @param upsampleTo {@code {height, width}} to upsample to, or null when the block does not upsample
     */
    public NDArray forward(NDArray h, List<NDArray> skips, NDArray activatedTemb, NDArray context,
                           long[] upsampleTo) {
        for (int i = 0; i < resnets.size(); i++) {
            NDArray skip = skips.get(skips.size() - 1 - i);
            h = resnets.get(i).forward(h.concat(skip, 1), activatedTemb);
            if (!attentions.isEmpty()) {
                h = attentions.get(i).forward(h, context);
            }
        }
        return upsampler == null ? h : upsampler.forward(h, upsampleTo[0], upsampleTo[1]);
    }
}
