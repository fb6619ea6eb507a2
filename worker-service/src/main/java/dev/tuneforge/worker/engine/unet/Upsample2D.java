package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import dev.tuneforge.worker.engine.nn.Layer;

/**
 * diffusers' {@code Upsample2D} with a convolution: nearest-neighbour resize, then a 3×3 conv.
 * The target size is explicit so odd or non-square latents come back to exactly the size of the
 * matching skip connection.
 */
public final class Upsample2D {

    /** libtorch interpolate mode 0: nearest (what F.interpolate(mode="nearest") runs). */
    private static final int NEAREST = 0;

    private final Layer conv;

    /** Loads {@code conv} (channels → channels). */
    public Upsample2D(ModuleFactory factory, int channels) {
        this.conv = factory.conv("conv", channels, channels, 3, 1, 1);
    }

    /** Upsamples {@code (N, C, H, W)} to twice its size. */
    public NDArray forward(NDArray x) {
        return forward(x, x.getShape().get(2) * 2, x.getShape().get(3) * 2);
    }

    /** Upsamples {@code (N, C, H, W)} to {@code (N, C, height, width)}. */
    public NDArray forward(NDArray x, long height, long width) {
        NDArray resized = x.getNDArrayInternal().interpolation(new long[] {height, width}, NEAREST, false);
        return conv.forward(resized);
    }
}
