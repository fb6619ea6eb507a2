package dev.tuneforge.worker.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.weights.Weights;

/** 2-D convolution over NCHW input, as torch.nn.Conv2d with square stride/padding and dilation 1. */
public final class Conv2d implements Layer {

    private static final Shape NO_DILATION = new Shape(1, 1);

    private final String name;
    private final NDArray weight;
    private final NDArray bias;
    private final Shape stride;
    private final Shape padding;
    private final int groups;

    /**
     * @param weight {@code [out, in / groups, kh, kw]}
     * @param bias {@code [out]} or null
     */
    public Conv2d(String name, NDArray weight, NDArray bias, int stride, int padding, int groups) {
        if (weight.getShape().dimension() != 4) {
            throw new IllegalArgumentException("conv '" + name + "' weight must be [out, in/groups, kh, kw], got "
                    + weight.getShape());
        }
        this.name = name;
        this.weight = weight;
        this.bias = bias;
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
        this.groups = groups;
    }

    /** Loads a biased, ungrouped square-kernel convolution {@code key} from {@code weights}. */
    public static Conv2d load(Weights weights, String key, long in, long out, int kernel, int stride, int padding) {
        return load(weights, key, in, out, kernel, stride, padding, 1, true);
    }

    /** Loads convolution {@code key}: {@code key.weight [out, in/groups, k, k]} and optionally {@code key.bias}. */
    public static Conv2d load(Weights weights, String key, long in, long out, int kernel, int stride, int padding,
                              int groups, boolean withBias) {
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("conv '" + weights.qualify(key) + "': channels " + in + " -> " + out
                    + " are not divisible by " + groups + " groups");
        }
        NDArray w = weights.get(key + ".weight", new Shape(out, in / groups, kernel, kernel));
        NDArray b = withBias ? weights.get(key + ".bias", new Shape(out)) : null;
        return new Conv2d(weights.qualify(key), w, b, stride, padding, groups);
    }

    @Override
    public NDArray forward(NDArray input) {
        return input.getNDArrayInternal()
                .convolution(input, weight, bias, stride, padding, NO_DILATION, groups)
                .singletonOrThrow();
    }

    public String name() {
        return name;
    }

    public NDArray weight() {
        return weight;
    }

    /** The bias, or null. */
    public NDArray bias() {
        return bias;
    }

    public long inChannels() {
        return weight.getShape().get(1) * groups;
    }

    public long outChannels() {
        return weight.getShape().get(0);
    }

    @Override
    public String toString() {
        return "Conv2d[" + name + ", " + weight.getShape() + ", stride " + stride.get(0) + ", padding "
                + padding.get(0) + ", groups " + groups + "]";
    }
}
