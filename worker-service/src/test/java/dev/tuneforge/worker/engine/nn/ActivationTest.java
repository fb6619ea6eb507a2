package dev.tuneforge.worker.engine.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ActivationTest {

    private static final float[] XS = {-6f, -3f, -1.5f, -1f, -0.25f, 0f, 0.3f, 1f, 2f, 4.5f, 8f};

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
    void siluIsXTimesSigmoid() {
        check(Activation.SILU, x -> x / (1 + Math.exp(-x)));
    }

    @Test
    void geluIsTheExactErfForm() {
        check(Activation.GELU, x -> 0.5 * x * (1 + erf(x / Math.sqrt(2))));
        // Phi(1) = 0.841344746...: pins the erf form rather than the tanh approximation.
        float atOne = Activation.GELU.forward(manager.create(new float[] {1f})).toFloatArray()[0];
        assertThat((double) atOne).isCloseTo(0.8413447460685429, within(1e-6));
    }

    @Test
    void geluTanhIsTheTanhApproximation() {
        check(Activation.GELU_TANH,
                x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))));
    }

    @Test
    void quickGeluIsXTimesSigmoidOf1702X() {
        check(Activation.QUICK_GELU, x -> x / (1 + Math.exp(-1.702 * x)));
    }

    @Test
    void configNamesMapToActivations() {
        assertThat(Activation.named("silu")).isEqualTo(Activation.SILU);
        assertThat(Activation.named("swish")).isEqualTo(Activation.SILU);
        assertThat(Activation.named("gelu")).isEqualTo(Activation.GELU);
        assertThat(Activation.named("quick_gelu")).isEqualTo(Activation.QUICK_GELU);
        assertThat(Activation.named("gelu_pytorch_tanh")).isEqualTo(Activation.GELU_TANH);
        assertThatThrownBy(() -> Activation.named("mish")).hasMessageContaining("'mish'");
    }

    private void check(Activation activation, DoubleUnaryOperator expected) {
        float[] actual = activation.forward(manager.create(XS)).toFloatArray();
        for (int i = 0; i < XS.length; i++) {
            assertThat((double) actual[i]).as(activation + "(" + XS[i] + ")")
                    .isCloseTo(expected.applyAsDouble(XS[i]), within(1e-6 + 1e-6 * Math.abs(XS[i])));
        }
    }

    /** erf by Simpson integration of 2/sqrt(pi) exp(-t^2): accurate to ~1e-12 here. */
    private static double erf(double x) {
        int steps = 20_000;
        double h = x / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            double weight = i == 0 || i == steps ? 1 : (i % 2 == 1 ? 4 : 2);
            double t = i * h;
            sum += weight * Math.exp(-t * t);
        }
        return 2 / Math.sqrt(Math.PI) * sum * h / 3;
    }
}
