package dev.tuneforge.worker.engine.vae;

import ai.djl.ndarray.NDArray;
import dev.tuneforge.worker.engine.nn.Activation;
import dev.tuneforge.worker.engine.unet.AttentionSlicing;
import dev.tuneforge.worker.engine.unet.ModuleFactory;
import dev.tuneforge.worker.engine.unet.ResnetBlock2D;

/** diffusers' {@code UNetMidBlock2D} as the VAE uses it: resnet, optional attention, resnet; no time embedding. */
final class UNetMidBlock2D {

    private final ResnetBlock2D first;
    private final VaeAttention attention;
    private final ResnetBlock2D second;

    UNetMidBlock2D(ModuleFactory factory, int channels, int groups, Activation activation, boolean withAttention,
                   AttentionSlicing slicing) {
        this.first = new ResnetBlock2D(factory.prefixed("resnets.0"), channels, channels, 0, groups, VaeConfig.EPS,
                activation, 1f);
        this.attention = withAttention
                ? new VaeAttention(factory.prefixed("attentions.0"), channels, groups, slicing) : null;
        this.second = new ResnetBlock2D(factory.prefixed("resnets.1"), channels, channels, 0, groups, VaeConfig.EPS,
                activation, 1f);
    }

    NDArray forward(NDArray h) {
        h = first.forward(h, null);
        if (attention != null) {
            h = attention.forward(h);
        }
        return second.forward(h, null);
    }
}
