package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.nn.Layer;

/**
 * diffusers' {@code Downsample2D} with a convolution: 3×3, stride 2. With padding 0 (the VAE
 * encoder's) the input is first padded by one zero row and column at the bottom/right, as the
 * reference does, so odd sizes round the same way.
 */
public final class Downsample2D implements Layer {

    private static final Shape PAD_RIGHT_BOTTOM = new Shape(0, 1, 0, 1);

    private final Layer conv;
    private final boolean padFirst;

    /** Loads {@code conv} (channels → channels). */
    public Downsample2D(ModuleFactory factory, int channels, int padding) {
        this.conv = factory.conv("conv", channels, channels, 3, 2, padding);
        this.padFirst = padding == 0;
    }

    @Override
    public NDArray forward(NDArray x) {
        return conv.forward(padFirst ? x.pad(PAD_RIGHT_BOTTOM, 0) : x);
    }
}
