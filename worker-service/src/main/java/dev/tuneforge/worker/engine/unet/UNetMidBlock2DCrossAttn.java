package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code UNetMidBlock2DCrossAttn} (one layer): resnet, transformer, resnet, at the
 * deepest width, resnets scaled by {@code mid_block_scale_factor}.
 */
public final class UNetMidBlock2DCrossAttn {

    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final Transformer2DModel attention;

    public UNetMidBlock2DCrossAttn(ModuleFactory factory, UNetConfig config, AttentionSlicing slicing) {
        int last = config.blockCount() - 1;
        int channels = config.blockOutChannels().get(last);
        for (int i = 0; i < 2; i++) {
            resnets.add(new ResnetBlock2D(factory.prefixed("resnets." + i), channels, channels, config.timeEmbedDim(),
                    config.normNumGroups(), config.normEps(), config.activation(), config.midBlockScaleFactor()));
        }
        this.attention = new Transformer2DModel(factory.prefixed("attentions.0"), channels,
                config.numHeads().get(last), config.transformerLayersPerBlock().get(last),
                config.crossAttentionDim().get(last), config.normNumGroups(), config.useLinearProjection(), false,
                slicing);
    }

    public NDArray forward(NDArray h, NDArray activatedTemb, NDArray context) {
        h = resnets.get(0).forward(h, activatedTemb);
        h = attention.forward(h, context);
        return resnets.get(1).forward(h, activatedTemb);
    }
}
