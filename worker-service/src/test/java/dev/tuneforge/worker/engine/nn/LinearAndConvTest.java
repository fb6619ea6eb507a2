package dev.tuneforge.worker.engine.nn;

import static dev.tuneforge.worker.engine.testing.Tensors.assertClose;
import static dev.tuneforge.worker.engine.testing.Tensors.randn;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LinearAndConvTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void linearComputesXWTransposedPlusBiasOverTheLastAxis() {
        NDArray x = randn(manager, 1, 2, 3, 5);
        NDArray w = randn(manager, 2, 4, 5);
        NDArray b = randn(manager, 3, 4);
        Linear linear = new Linear("proj", w, b);
        float[] xs = x.toFloatArray();
        float[] ws = w.toFloatArray();
        float[] bs = b.toFloatArray();
        float[] expected = new float[2 * 3 * 4];
        for (int row = 0; row < 6; row++) {
            for (int o = 0; o < 4; o++) {
                double sum = bs[o];
                for (int i = 0; i < 5; i++) {
                    sum += xs[row * 5 + i] * ws[o * 5 + i];
                }
                expected[row * 4 + o] = (float) sum;
            }
        }
        assertClose(linear.forward(x), manager.create(expected, new Shape(2, 3, 4)), 1e-5, "linear");
        assertThat(linear.inFeatures()).isEqualTo(5);
        assertThat(linear.outFeatures()).isEqualTo(4);
        assertClose(new Linear("nobias", w, null).forward(x), linear.forward(x).sub(b), 1e-5, "linear without bias");
    }

    @Test
    void adapterSeesInputAndBaseOutputAndReplacesTheResult() {
        NDArray x = randn(manager, 4, 2, 3);
        Linear linear = new Linear("attn.to_q", randn(manager, 5, 3, 3), null);
        NDArray base = linear.forward(x);
        linear.setAdapter((layer, input, output) -> output.add(input.mul(2f)));
        assertClose(linear.forward(x), base.add(x.mul(2f)), 1e-6, "adapted");
        assertClose(linear.forwardBase(x), base, 0, "base stays reachable");
        linear.setAdapter(null);
        assertClose(linear.forward(x), base, 0, "adapter removed");
    }

    @Test
    void convMatchesADirectLoopWithStridePaddingAndGroups() {
        int n = 2;
        int in = 4;
        int out = 6;
        int groups = 2;
        int size = 5;
        int k = 3;
        int stride = 2;
        int pad = 1;
        NDArray x = randn(manager, 6, n, in, size, size);
        NDArray w = randn(manager, 7, out, in / groups, k, k);
        NDArray b = randn(manager, 8, out);
        NDArray actual = new Conv2d("conv", w, b, stride, pad, groups).forward(x);

        int outSize = (size + 2 * pad - k) / stride + 1;
        float[] xs = x.toFloatArray();
        float[] ws = w.toFloatArray();
        float[] bs = b.toFloatArray();
        float[] expected = new float[n * out * outSize * outSize];
        int inPerGroup = in / groups;
        int outPerGroup = out / groups;
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < out; o++) {
                int g = o / outPerGroup;
                for (int y = 0; y < outSize; y++) {
                    for (int xx = 0; xx < outSize; xx++) {
                        double sum = bs[o];
                        for (int c = 0; c < inPerGroup; c++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = y * stride - pad + ky;
                                    int ix = xx * stride - pad + kx;
                                    if (iy < 0 || ix < 0 || iy >= size || ix >= size) {
                                        continue;
                                    }
                                    int ci = g * inPerGroup + c;
                                    sum += xs[((s * in + ci) * size + iy) * size + ix]
                                            * ws[((o * inPerGroup + c) * k + ky) * k + kx];
                                }
                            }
                        }
                        expected[((s * out + o) * outSize + y) * outSize + xx] = (float) sum;
                    }
                }
            }
        }
        assertClose(actual, manager.create(expected, new Shape(n, out, outSize, outSize)), 1e-4, "conv");
    }

    @Test
    void convWithoutBiasWorks() {
        NDArray x = randn(manager, 9, 1, 2, 4, 4);
        NDArray w = randn(manager, 10, 3, 2, 1, 1);
        NDArray b = manager.zeros(new Shape(3));
        assertClose(new Conv2d("c", w, null, 1, 0, 1).forward(x), new Conv2d("c", w, b, 1, 0, 1).forward(x), 1e-6,
                "bias-free conv");
    }
}
