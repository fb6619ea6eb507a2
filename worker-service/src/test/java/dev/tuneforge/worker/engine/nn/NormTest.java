package dev.tuneforge.worker.engine.nn;

import static dev.tuneforge.worker.engine.testing.Tensors.assertClose;
import static dev.tuneforge.worker.engine.testing.Tensors.randn;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NormTest {

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
    void groupNormMatchesTheDefinition() {
        int n = 2;
        int c = 6;
        int groups = 3;
        int hw = 4 * 5;
        float eps = 1e-5f;
        NDArray x = randn(manager, 11, n, c, 4, 5).mul(3f).add(1.5f);
        NDArray w = randn(manager, 12, c);
        NDArray b = randn(manager, 13, c);
        NDArray actual = new GroupNorm("norm", groups, eps, w, b).forward(x);

        float[] xs = x.toFloatArray();
        float[] ws = w.toFloatArray();
        float[] bs = b.toFloatArray();
        float[] expected = new float[xs.length];
        int perGroup = c / groups * hw;
        for (int s = 0; s < n; s++) {
            for (int g = 0; g < groups; g++) {
                int start = (s * c + g * (c / groups)) * hw;
                double mean = 0;
                for (int i = 0; i < perGroup; i++) {
                    mean += xs[start + i];
                }
                mean /= perGroup;
                double var = 0;
                for (int i = 0; i < perGroup; i++) {
                    var += (xs[start + i] - mean) * (xs[start + i] - mean);
                }
                var /= perGroup; // biased, as torch
                for (int i = 0; i < perGroup; i++) {
                    int channel = g * (c / groups) + i / hw;
                    expected[start + i] = (float) ((xs[start + i] - mean) / Math.sqrt(var + eps) * ws[channel]
                            + bs[channel]);
                }
            }
        }
        assertClose(actual, manager.create(expected, x.getShape()), 1e-5, "group norm");
    }

    @Test
    void groupNormWorksOnThreeDimensionalInput() {
        NDArray x = randn(manager, 14, 2, 4, 7);
        NDArray w = manager.ones(new Shape(4));
        NDArray b = manager.zeros(new Shape(4));
        NDArray y = new GroupNorm("g", 1, 1e-6f, w, b).forward(x);
        NDArray perSample = y.reshape(2, -1);
        assertClose(perSample.mean(new int[] {1}), manager.zeros(new Shape(2)), 1e-5, "mean 0");
    }

    @Test
    void groupNormRejectsIndivisibleChannels() {
        assertThatThrownBy(() -> new GroupNorm("bad", 4, 1e-5f, manager.ones(new Shape(6)), manager.zeros(new Shape(6))))
                .hasMessageContaining("bad")
                .hasMessageContaining("6 channels");
    }

    @Test
    void layerNormMatchesTheDefinition() {
        int rows = 6;
        int dim = 8;
        float eps = 1e-5f;
        NDArray x = randn(manager, 15, 2, 3, dim);
        NDArray w = randn(manager, 16, dim);
        NDArray b = randn(manager, 17, dim);
        float[] xs = x.toFloatArray();
        float[] ws = w.toFloatArray();
        float[] bs = b.toFloatArray();
        float[] expected = new float[xs.length];
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int i = 0; i < dim; i++) {
                mean += xs[r * dim + i];
            }
            mean /= dim;
            double var = 0;
            for (int i = 0; i < dim; i++) {
                var += Math.pow(xs[r * dim + i] - mean, 2);
            }
            var /= dim;
            for (int i = 0; i < dim; i++) {
                expected[r * dim + i] = (float) ((xs[r * dim + i] - mean) / Math.sqrt(var + eps) * ws[i] + bs[i]);
            }
        }
        assertClose(new LayerNorm("ln", eps, w, b).forward(x), manager.create(expected, x.getShape()), 1e-5,
                "layer norm");
    }
}
