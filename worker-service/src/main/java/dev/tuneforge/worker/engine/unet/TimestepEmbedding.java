package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import dev.tuneforge.worker.engine.nn.Activation;
import dev.tuneforge.worker.engine.nn.Layer;
import dev.tuneforge.worker.engine.nn.Linear;

/** diffusers' {@code TimestepEmbedding}: {@code linear_2(act(linear_1(x)))}. */
public final class TimestepEmbedding implements Layer {

    private final Linear linear1;
    private final Activation activation;
    private final Linear linear2;

    /** Loads {@code linear_1} ({@code in -> out}) and {@code linear_2} ({@code out -> out}). */
    public TimestepEmbedding(ModuleFactory factory, int in, int out, Activation activation) {
        this.linear1 = factory.linear("linear_1", in, out, true);
        this.activation = activation;
        this.linear2 = factory.linear("linear_2", out, out, true);
    }

    @Override
    public NDArray forward(NDArray input) {
        return linear2.forward(activation.forward(linear1.forward(input)));
    }
}
