package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.tuneforge.worker.engine.nn.Activation;
import dev.tuneforge.worker.engine.nn.Layer;
import dev.tuneforge.worker.engine.nn.Linear;

/**
 * diffusers' {@code FeedForward} with the GEGLU activation the SD transformer blocks use:
 * {@code net.0.proj} widens to twice the inner size, one half gates the other through exact GELU,
 * {@code net.2} projects back. Inner size is 4× the width.
 */
public final class FeedForward implements Layer {

    private static final int MULT = 4;

    private final Linear proj;
    private final Linear out;

    public FeedForward(ModuleFactory factory, int dim) {
        int inner = dim * MULT;
        this.proj = factory.linear("net.0.proj", dim, inner * 2L, true);
        this.out = factory.linear("net.2", inner, dim, true);
    }

    @Override
    public NDArray forward(NDArray x) {
        NDArray projected = proj.forward(x);
        // DJL's split takes no negative axis.
        NDList halves = projected.split(2, projected.getShape().dimension() - 1);
        return out.forward(halves.get(0).mul(Activation.GELU.forward(halves.get(1))));
    }
}
