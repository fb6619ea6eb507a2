package dev.tuneforge.worker.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.weights.Weights;

/** {@code y = x W^T + b} over the last axis, with an optional {@link LinearAdapter}. */
public final class Linear implements Layer {

    private final String name;
    private final NDArray weight;
    private final NDArray bias;
    private LinearAdapter adapter;

    /**
     * @param name full state-dict prefix of this projection (e.g. {@code ….attn1.to_q})
     * @param weight {@code [out, in]}
     * @param bias {@code [out]} or null
     */
    public Linear(String name, NDArray weight, NDArray bias) {
        if (weight.getShape().dimension() != 2) {
            throw new IllegalArgumentException("linear '" + name + "' weight must be [out, in], got "
                    + weight.getShape());
        }
        this.name = name;
        this.weight = weight;
        this.bias = bias;
    }

    /** Loads {@code key.weight} (and {@code key.bias} when {@code withBias}) from {@code weights}. */
    public static Linear load(Weights weights, String key, long in, long out, boolean withBias) {
        NDArray w = weights.get(key + ".weight", new Shape(out, in));
        NDArray b = withBias ? weights.get(key + ".bias", new Shape(out)) : null;
        return new Linear(weights.qualify(key), w, b);
    }

    @Override
    public NDArray forward(NDArray input) {
        NDArray output = forwardBase(input);
        return adapter == null ? output : adapter.apply(this, input, output);
    }

    /** The projection without the adapter. */
    public NDArray forwardBase(NDArray input) {
        return input.getNDArrayInternal().linear(input, weight, bias).singletonOrThrow();
    }

    public String name() {
        return name;
    }

    public NDArray weight() {
        return weight;
    }

    /** The bias, or null when the projection has none. */
    public NDArray bias() {
        return bias;
    }

    public long inFeatures() {
        return weight.getShape().get(1);
    }

    public long outFeatures() {
        return weight.getShape().get(0);
    }

    /** The adapter in use, or null. */
    public LinearAdapter adapter() {
        return adapter;
    }

    /** Installs {@code newAdapter}; null removes the current one. */
    public void setAdapter(LinearAdapter newAdapter) {
        this.adapter = newAdapter;
    }

    @Override
    public String toString() {
        return "Linear[" + name + ", " + inFeatures() + " -> " + outFeatures() + (bias == null ? ", no bias]" : "]");
    }
}
