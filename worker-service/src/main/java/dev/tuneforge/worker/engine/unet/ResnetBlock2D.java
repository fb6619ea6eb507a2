package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import dev.tuneforge.worker.engine.nn.Activation;
import dev.tuneforge.worker.engine.nn.GroupNorm;
import dev.tuneforge.worker.engine.nn.Layer;
import dev.tuneforge.worker.engine.nn.Scalars;
import dev.tuneforge.worker.engine.nn.Linear;

/**
 * diffusers' {@code ResnetBlock2D} with the default time-embedding mode: two norm-act-conv stages,
 * the projected time embedding added between them, a 1×1 {@code conv_shortcut} when the channel
 * count changes, and {@code (x + h) / output_scale_factor}.
 */
public final class ResnetBlock2D {

    private final GroupNorm norm1;
    private final Layer conv1;
    private final Linear timeEmbProj;
    private final GroupNorm norm2;
    private final Layer conv2;
    private final Layer convShortcut;
    private final Activation activation;
    private final float outputScaleFactor;

    /**
     * @param tembChannels width of the time embedding, or 0 for a block without one (the VAE's)
     */
    public ResnetBlock2D(ModuleFactory factory, int in, int out, int tembChannels, int groups, float eps,
                         Activation activation, float outputScaleFactor) {
        this.norm1 = factory.groupNorm("norm1", groups, in, eps);
        this.conv1 = factory.conv("conv1", in, out, 3, 1, 1);
        this.timeEmbProj = tembChannels > 0 ? factory.linear("time_emb_proj", tembChannels, out, true) : null;
        this.norm2 = factory.groupNorm("norm2", groups, out, eps);
        this.conv2 = factory.conv("conv2", out, out, 3, 1, 1);
        this.convShortcut = in != out ? factory.conv("conv_shortcut", in, out, 1, 1, 0) : null;
        this.activation = activation;
        this.outputScaleFactor = outputScaleFactor;
    }

    /**
     * @param x {@code (N, in, H, W)}
     * @param activatedTemb the time embedding with the block activation already applied, {@code (N, temb)};
     *        diffusers applies that activation inside every resnet, the UNet does it once per forward
     *        for all of them; null for blocks without a time embedding
     */
    public NDArray forward(NDArray x, NDArray activatedTemb) {
        NDArray h = conv1.forward(activation.forward(norm1.forward(x)));
        if (timeEmbProj != null) {
            NDArray temb = timeEmbProj.forward(activatedTemb);
            // conv outputs are not saved for backward, so adding in place is autograd-safe.
            h.addi(temb.reshape(temb.getShape().get(0), temb.getShape().get(1), 1, 1));
        }
        h = conv2.forward(activation.forward(norm2.forward(h)));
        h.addi(convShortcut == null ? x : convShortcut.forward(x));
        return outputScaleFactor == 1f ? h : h.divi(Scalars.like(h, outputScaleFactor));
    }
}
