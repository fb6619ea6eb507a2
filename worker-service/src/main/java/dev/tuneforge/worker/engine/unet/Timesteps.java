package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * diffusers' {@code Timesteps}: the sinusoidal projection of (possibly fractional) timesteps,
 * {@code [sin(t f), cos(t f)]} with {@code f_i = exp(-ln(10000) i / (half - freq_shift))}, halves
 * swapped when {@code flip_sin_to_cos}. Computed with float32 tensor ops in the reference's order,
 * so that large timesteps (t·f up to ~1000) round exactly as they do there.
 */
public final class Timesteps {

    private static final double MAX_PERIOD = 10000;

    private final int dim;
    private final boolean flipSinToCos;
    private final double freqShift;

    public Timesteps(int dim, boolean flipSinToCos, double freqShift) {
        this.dim = dim;
        this.flipSinToCos = flipSinToCos;
        this.freqShift = freqShift;
    }

    /** {@code (N)} timesteps of any numeric type to {@code (N, dim)} float32. */
    public NDArray forward(NDArray timesteps) {
        int half = dim / 2;
        NDArray exponent = timesteps.getManager().arange(0, half, 1, DataType.FLOAT32)
                .mul((float) -Math.log(MAX_PERIOD))
                .div((float) (half - freqShift));
        NDArray args = timesteps.toType(DataType.FLOAT32, false).reshape(-1, 1).mul(exponent.exp().reshape(1, -1));
        NDArray sin = args.sin();
        NDArray cos = args.cos();
        NDArray embedding = flipSinToCos ? cos.concat(sin, 1) : sin.concat(cos, 1);
        if (dim % 2 == 1) {
            embedding = embedding.pad(new Shape(0, 1), 0);
        }
        return embedding;
    }
}
