package dev.tuneforge.worker.engine.nn;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The activations diffusers and transformers configs name ({@code act_fn}, {@code hidden_act}). */
public enum Activation implements Layer {

    /** x * sigmoid(x). */
    SILU("silu", "swish") {
        @Override
        public NDArray forward(NDArray x) {
            return x.mul(x.getNDArrayInternal().sigmoid());
        }
    },
    /** Exact GELU, 0.5 x (1 + erf(x / sqrt 2)): libtorch's default gelu. */
    GELU("gelu") {
        @Override
        public NDArray forward(NDArray x) {
            return x.getNDArrayInternal().gelu();
        }
    },
    /** Tanh approximation of GELU, as torch gelu(approximate="tanh"). */
    GELU_TANH("gelu_new", "gelu_pytorch_tanh", "gelu_fast") {
        @Override
        public NDArray forward(NDArray x) {
            NDArray inner = x.pow(Scalars.like(x, 3)).mul(Scalars.like(x, 0.044715f)).add(x)
                    .mul(Scalars.like(x, (float) Math.sqrt(2.0 / Math.PI)));
            return x.mul(inner.tanh().add(1f)).mul(Scalars.like(x, 0.5f));
        }
    },
    /** x * sigmoid(1.702 x), the approximation OpenAI's CLIP was trained with. */
    QUICK_GELU("quick_gelu") {
        @Override
        public NDArray forward(NDArray x) {
            return x.mul(x.mul(Scalars.like(x, 1.702f)).getNDArrayInternal().sigmoid());
        }
    };

    private final String[] configNames;

    Activation(String... configNames) {
        this.configNames = configNames;
    }

    /** The activation a config names; an unknown name fails listing the known ones. */
    public static Activation named(String configName) {
        String wanted = configName.toLowerCase(Locale.ROOT);
        for (Activation activation : values()) {
            if (Arrays.asList(activation.configNames).contains(wanted)) {
                return activation;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + configName + "' (known: "
                + Arrays.stream(values()).flatMap(a -> Arrays.stream(a.configNames)).collect(Collectors.joining(", "))
                + ")");
    }
}
