package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code DownBlock2D} and {@code CrossAttnDownBlock2D}: {@code resnets} (each followed
 * by its transformer in {@code attentions} for the cross-attention kind) and an optional
 * {@code downsamplers.0}. Every resnet/transformer output and the downsampled map are skip
 * connections for the up path.
 */
public final class UNetDownBlock {

    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final List<Transformer2DModel> attentions = new ArrayList<>();
    private final Downsample2D downsampler;

    /** Builds down block {@code index} of {@code config}, taking {@code in} channels. */
    public UNetDownBlock(ModuleFactory factory, UNetConfig config, int index, int in, AttentionSlicing slicing) {
        int out = config.blockOutChannels().get(index);
        boolean crossAttention = config.downBlockTypes().get(index).equals(UNetConfig.CROSS_ATTN_DOWN);
        for (int i = 0; i < config.layersPerBlock().get(index); i++) {
            resnets.add(new ResnetBlock2D(factory.prefixed("resnets." + i), i == 0 ? in : out, out,
                    config.timeEmbedDim(), config.normNumGroups(), config.normEps(), config.activation(), 1f));
            if (crossAttention) {
                attentions.add(new Transformer2DModel(factory.prefixed("attentions." + i), out,
                        config.numHeads().get(index), config.transformerLayersPerBlock().get(index),
                        config.crossAttentionDim().get(index), config.normNumGroups(), config.useLinearProjection(),
                        config.onlyCrossAttention().get(index), slicing));
            }
        }
        boolean last = index == config.blockCount() - 1;
        this.downsampler = last ? null
                : new Downsample2D(factory.prefixed("downsamplers.0"), out, config.downsamplePadding());
    }

    /**
     * @param skips receives this block's skip connections, in order
     * @return the block's output
     */
    public NDArray forward(NDArray h, NDArray activatedTemb, NDArray context, List<NDArray> skips) {
        for (int i = 0; i < resnets.size(); i++) {
            h = resnets.get(i).forward(h, activatedTemb);
            if (!attentions.isEmpty()) {
                h = attentions.get(i).forward(h, context);
            }
            skips.add(h);
        }
        if (downsampler != null) {
            h = downsampler.forward(h);
            skips.add(h);
        }
        return h;
    }
}
