package dev.tuneforge.worker.engine.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.opentest4j.AssertionFailedError;

/** Element-wise comparison of NDArrays with a report of where they differ most. */
public final class Tensors {

    private Tensors() {
    }

    /**
     * Fails unless {@code actual} and {@code expected} have the same shape and differ by at most
     * {@code atol} everywhere (NaN only matches NaN).
     *
     * @return the largest absolute difference, for reporting parity
     */
    public static double assertClose(NDArray actual, NDArray expected, double atol, String what) {
        Shape shape = expected.getShape();
        if (!actual.getShape().equals(shape)) {
            throw new AssertionFailedError(what + ": shape " + actual.getShape() + ", expected " + shape);
        }
        float[] a = actual.toType(DataType.FLOAT32, false).toFloatArray();
        float[] e = expected.toType(DataType.FLOAT32, false).toFloatArray();
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < e.length; i++) {
            double diff = difference(a[i], e[i]);
            if (diff > worst || (worstAt < 0 && diff == worst)) {
                worst = diff;
                worstAt = i;
            }
        }
        if (worst > atol) {
            throw new AssertionFailedError(String.format("%s: max |diff| %.3g > atol %.3g at %s (actual %s, expected %s)",
                    what, worst, atol, Arrays.toString(unravel(worstAt, shape)), a[worstAt], e[worstAt]));
        }
        return worst;
    }

    /** A reproducible standard-normal array from {@link java.util.Random}, for closed-form tests. */
    public static NDArray randn(ai.djl.ndarray.NDManager manager, long seed, long... shape) {
        java.util.Random random = new java.util.Random(seed);
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return manager.create(values, new Shape(shape));
    }

    private static double difference(float actual, float expected) {
        if (Float.isNaN(expected) || Float.isNaN(actual)) {
            return Float.isNaN(expected) && Float.isNaN(actual) ? 0 : Double.POSITIVE_INFINITY;
        }
        if (actual == expected) {
            return 0; // also equal infinities
        }
        return Math.abs((double) actual - expected);
    }

    private static long[] unravel(int flat, Shape shape) {
        long[] index = new long[shape.dimension()];
        long rest = flat;
        for (int d = index.length - 1; d >= 0; d--) {
            index[d] = rest % shape.get(d);
            rest /= shape.get(d);
        }
        return index;
    }
}
