package dev.tuneforge.worker.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.weights.Weights;

/** torch.nn.LayerNorm over the last axis, with affine weights. */
public final class LayerNorm implements Layer {

    private final String name;
    private final float eps;
    private final NDArray weight;
    private final NDArray bias;

    public LayerNorm(String name, float eps, NDArray weight, NDArray bias) {
        this.name = name;
        this.eps = eps;
        this.weight = weight;
        this.bias = bias;
    }

    /** Loads {@code key.weight} and {@code key.bias}, both {@code [dim]}. */
    public static LayerNorm load(Weights weights, String key, long dim, float eps) {
        Shape shape = new Shape(dim);
        return new LayerNorm(weights.qualify(key), eps, weights.get(key + ".weight", shape),
                weights.get(key + ".bias", shape));
    }

    @Override
    public NDArray forward(NDArray input) {
        return input.getNDArrayInternal().layerNorm(input, weight.getShape(), weight, bias, eps).singletonOrThrow();
    }

    public String name() {
        return name;
    }
}
