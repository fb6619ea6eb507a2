package dev.tuneforge.worker.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.weights.Weights;

/**
 * torch.nn.GroupNorm with affine weights. DJL has no group norm, so the input is viewed as
 * {@code (N, G, -1)}, normalised by the fused layer-norm kernel, and the per-channel affine is
 * applied afterwards: exact, and far faster than composing mean/variance by hand.
 */
public final class GroupNorm implements Layer {

    private final String name;
    private final int groups;
    private final float eps;
    private final NDArray weight;
    private final NDArray bias;
    /** weight and bias as (C, 1) columns, made once: reshaping per call would pile views onto the weights' manager. */
    private final NDArray scaleColumn;
    private final NDArray shiftColumn;

    public GroupNorm(String name, int groups, float eps, NDArray weight, NDArray bias) {
        long channels = weight.getShape().get(0);
        if (channels % groups != 0) {
            throw new IllegalArgumentException("group norm '" + name + "': " + channels
                    + " channels are not divisible by " + groups + " groups");
        }
        this.name = name;
        this.groups = groups;
        this.eps = eps;
        this.weight = weight;
        this.bias = bias;
        this.scaleColumn = weight.reshape(channels, 1);
        this.shiftColumn = bias.reshape(channels, 1);
    }

    /** Loads {@code key.weight} and {@code key.bias}, both {@code [channels]}. */
    public static GroupNorm load(Weights weights, String key, int groups, long channels, float eps) {
        Shape shape = new Shape(channels);
        return new GroupNorm(weights.qualify(key), groups, eps,
                weights.get(key + ".weight", shape), weights.get(key + ".bias", shape));
    }

    /** Normalises {@code (N, C, ...)} input over each group of channels and all trailing axes. */
    @Override
    public NDArray forward(NDArray input) {
        Shape shape = input.getShape();
        long batch = shape.get(0);
        long channels = shape.get(1);
        if (channels != weight.getShape().get(0)) {
            throw new IllegalArgumentException("group norm '" + name + "' expects " + weight.getShape().get(0)
                    + " channels, input has shape " + shape);
        }
        long perGroup = shape.size() / (batch * groups);
        Shape normalized = new Shape(perGroup);
        NDArray ones = input.getManager().ones(normalized, input.getDataType());
        NDArray zeros = input.getManager().zeros(normalized, input.getDataType());
        NDArray grouped = input.reshape(batch, groups, perGroup);
        NDArray norm = grouped.getNDArrayInternal().layerNorm(grouped, normalized, ones, zeros, eps)
                .singletonOrThrow();
        return norm.reshape(batch, channels, -1).mul(ParameterViews.current(weight, scaleColumn, input))
                .add(ParameterViews.current(bias, shiftColumn, input)).reshape(shape);
    }

    public String name() {
        return name;
    }
}
