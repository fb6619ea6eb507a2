package dev.tuneforge.worker.engine.face;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.nn.Conv2d;

/**
 * tfjs weights (NHWC conventions) as the NCHW convolutions of libtorch. Filters are permuted once
 * in Java so every forward pass runs on contiguous weights.
 */
final class TfjsLayouts {

    private TfjsLayouts() {
    }

    /** A {@code [kh, kw, in, out]} filter as {@code [out, in, kh, kw]}, each output channel scaled by {@code scale} (or 1). */
    static NDArray convFilter(TfjsWeights.Tensor filter, float[] scale, NDManager manager) {
        int[] s = filter.shape();
        int kh = s[0];
        int kw = s[1];
        int in = s[2];
        int out = s[3];
        float[] oihw = new float[filter.values().length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        float v = filter.at(((y * kw + x) * in + i) * out + o);
                        oihw[((o * in + i) * kh + y) * kw + x] = scale == null ? v : v * scale[o];
                    }
                }
            }
        }
        return manager.create(oihw, new Shape(out, in, kh, kw));
    }

    /**
     * A depthwise {@code [kh, kw, in, multiplier]} filter as a grouped {@code [in * multiplier, 1, kh, kw]},
     * each output channel scaled by {@code scale} (or 1).
     */
    static NDArray depthwiseFilter(TfjsWeights.Tensor filter, float[] scale, NDManager manager) {
        int[] s = filter.shape();
        int kh = s[0];
        int kw = s[1];
        int in = s[2];
        int multiplier = s[3];
        float[] grouped = new float[filter.values().length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < in; i++) {
                    for (int m = 0; m < multiplier; m++) {
                        int o = i * multiplier + m;
                        float v = filter.at(((y * kw + x) * in + i) * multiplier + m);
                        grouped[(o * kh + y) * kw + x] = scale == null ? v : v * scale[o];
                    }
                }
            }
        }
        return manager.create(grouped, new Shape((long) in * multiplier, 1, kh, kw));
    }

    /** A plain convolution from a tfjs filter and bias. */
    static Conv2d conv(String name, TfjsWeights.Tensor filter, TfjsWeights.Tensor bias, int stride, int padding,
                       NDManager manager) {
        return new Conv2d(name, convFilter(filter, null, manager), manager.create(bias.values()), stride, padding, 1);
    }

    /** A depthwise convolution (one filter per input channel), without bias. */
    static Conv2d depthwise(String name, TfjsWeights.Tensor filter, int padding, NDManager manager) {
        int channels = filter.shape()[2];
        return new Conv2d(name, depthwiseFilter(filter, null, manager), null, 1, padding, channels);
    }

    /**
     * tf's {@code 'same'} max pooling: output {@code ceil(in / stride)}, the missing border (bottom
     * and right first) padded with -inf so it never wins.
     */
    static NDArray maxPoolSame(NDArray x, int kernel, int stride) {
        return padSame(x, kernel, stride, Double.NEGATIVE_INFINITY).getNDArrayInternal().maxPool(
                new Shape(kernel, kernel), new Shape(stride, stride), new Shape(0, 0), false);
    }

    /**
     * {@code x} padded so that an unpadded window of {@code kernel} and {@code stride} gives tf's
     * {@code 'same'} output size {@code ceil(in / stride)}; an odd total puts the extra row and
     * column at the bottom and right, which symmetric torch padding cannot express.
     */
    static NDArray padSame(NDArray x, int kernel, int stride, double value) {
        long padH = samePadding(x.getShape().get(2), kernel, stride);
        long padW = samePadding(x.getShape().get(3), kernel, stride);
        if (padH == 0 && padW == 0) {
            return x;
        }
        return x.pad(new Shape(padW / 2, padW - padW / 2, padH / 2, padH - padH / 2), value);
    }

    private static long samePadding(long size, int kernel, int stride) {
        long out = (size + stride - 1) / stride;
        return Math.max(0, (out - 1) * stride + kernel - size);
    }
}
