package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.nn.Conv2d;
import dev.tuneforge.worker.engine.testing.Tensors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The matrix-product schedule computes exactly what libtorch's convolution computes. */
class GemmConv2dTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @ParameterizedTest(name = "N={0} C={1} O={2} {3}x{4} k={5} s={6} p={7}")
    @CsvSource({
        // weight-bound maps (unfolded or pointwise products)
        "1, 64, 96, 2, 3, 3, 1, 1",
        "3, 32, 128, 3, 2, 3, 1, 1",
        "2, 48, 160, 5, 4, 3, 2, 1",
        "1, 24, 200, 7, 5, 3, 2, 0",
        "2, 40, 24, 6, 5, 1, 1, 0",
        // large maps (libtorch's kernel)
        "1, 8, 8, 16, 12, 3, 1, 1",
        "2, 8, 16, 9, 11, 3, 2, 1",
    })
    void matchesTheConvolutionKernel(int batch, int in, int out, int height, int width, int kernel, int stride,
                                     int padding) {
        NDArray weight = manager.randomNormal(new Shape(out, in, kernel, kernel)).mul(0.1f);
        NDArray bias = manager.randomNormal(new Shape(out));
        Conv2d conv = new Conv2d("c", weight, bias, stride, padding, 1);
        GemmConv2d gemm = new GemmConv2d(conv, kernel, stride, padding);
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.randomNormal(new Shape(batch, in, height, width));
            NDArray actual = gemm.forward(x);
            Tensors.assertClose(actual, conv.forward(x), 1e-4, "gemm convolution");
            org.assertj.core.api.Assertions.assertThat(actual.getManager()).isSameAs(step);
        }
    }
}
