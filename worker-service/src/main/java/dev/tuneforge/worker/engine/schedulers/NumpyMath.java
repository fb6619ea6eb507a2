package dev.tuneforge.worker.engine.schedulers;

/**
 * The few numpy routines diffusers builds its inference schedules with, reproduced with numpy's own
 * float64 formulas so that rounded timesteps land on the same integers (numpy rounds half to even).
 */
final class NumpyMath {

    private NumpyMath() {
    }

    /** {@code np.linspace(start, stop, num)}: {@code i * step + start}, the last point exactly {@code stop}. */
    static double[] linspace(double start, double stop, int num) {
        double[] out = new double[num];
        if (num == 1) {
            out[0] = start;
            return out;
        }
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) {
            out[i] = i * step + start;
        }
        out[num - 1] = stop;
        return out;
    }

    /** {@code np.arange(start, stop, step)} for floats: numpy fills {@code start + i * delta}, delta re-derived. */
    static double[] arange(double start, double stop, double step) {
        int length = (int) Math.max(0, Math.ceil((stop - start) / step));
        double[] out = new double[length];
        double delta = (start + step) - start;
        for (int i = 0; i < length; i++) {
            out[i] = i == 0 ? start : start + i * delta;
        }
        return out;
    }

    /** {@code np.interp(x, arange(len(fp)), fp)}: linear interpolation on the integer grid, clamped at both ends. */
    static double[] interp(double[] x, float[] fp) {
        double[] out = new double[x.length];
        int last = fp.length - 1;
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            if (v <= 0) {
                out[i] = fp[0];
            } else if (v >= last) {
                out[i] = fp[last];
            } else {
                int j = (int) Math.floor(v);
                double slope = (double) fp[j + 1] - fp[j]; // grid spacing is 1
                out[i] = slope * (v - j) + fp[j];
            }
        }
        return out;
    }

    /** {@code np.round} element-wise: half to even. */
    static double[] rint(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.rint(values[i]);
        }
        return out;
    }

    static double[] reversed(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[values.length - 1 - i];
        }
        return out;
    }

    /** Casts to float32 and back, as {@code .astype(np.float32)}. */
    static double[] toFloat32(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    /** The float32 values, e.g. a schedule as torch holds it. */
    static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
