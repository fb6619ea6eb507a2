package dev.tuneforge.worker.engine.schedulers;

import java.util.List;

/**
 * The training noise schedule: betas and the cumulative product of alphas = 1 - betas. diffusers builds these
 * with float32 torch ops; they are reproduced here bit for bit (values kept as doubles holding the
 * float32 results), because a one-ulp drift in beta moves late alphas_cumprod by ~5e-7 relative.
 */
final class NoiseSchedule {

    /** diffusers' floor for the terminal alphas_cumprod of zero-SNR schedules, so sigma stays finite. */
    private static final double ZERO_SNR_TERMINAL_ALPHA_CUMPROD = Math.pow(2, -24);
    /** torch's CPU linspace writes 8 float lanes per vector (AVX2/NEON), two vectors per loop turn. */
    private static final int TORCH_VECTOR_LANES = 8;

    private final double[] betas;
    private final double[] alphasCumprod;
    private final boolean zeroTerminalSnr;

    private NoiseSchedule(float[] betas, boolean zeroTerminalSnr) {
        int n = betas.length;
        float[] alphas = new float[n];
        this.betas = new double[n];
        for (int i = 0; i < n; i++) {
            this.betas[i] = betas[i];
            alphas[i] = 1f - betas[i];
        }
        float[] cumprod = cumprod(alphas);
        this.alphasCumprod = new double[n];
        for (int i = 0; i < n; i++) {
            this.alphasCumprod[i] = cumprod[i];
        }
        this.zeroTerminalSnr = zeroTerminalSnr;
    }

    private NoiseSchedule(NoiseSchedule source, double[] alphasCumprod) {
        this.betas = source.betas;
        this.alphasCumprod = alphasCumprod;
        this.zeroTerminalSnr = source.zeroTerminalSnr;
    }

    /**
     * Reads {@code num_train_timesteps}, {@code beta_start}, {@code beta_end}, {@code beta_schedule},
     * {@code trained_betas} and, where the scheduler class has it, {@code rescale_betas_zero_snr}.
     */
    static NoiseSchedule read(SchedulerConfig config, boolean rescalable) {
        int steps = config.getInt("num_train_timesteps", 1000);
        if (steps < 2) {
            throw config.unsupported("num_train_timesteps", Integer.toString(steps), List.of(">= 2"));
        }
        float[] betas = betas(config, steps);
        boolean rescale = rescalable && config.getBoolean("rescale_betas_zero_snr", false);
        return new NoiseSchedule(rescale ? rescaleZeroTerminalSnr(betas) : betas, rescale);
    }

    int trainSteps() {
        return betas.length;
    }

    double alphaCumprod(int t) {
        return alphasCumprod[t];
    }

    double[] betas() {
        return betas.clone();
    }

    double[] alphasCumprod() {
        return alphasCumprod.clone();
    }

    /**
     * The sigma-parameterised schedulers (Euler, DPM-Solver) cannot use alphas_cumprod = 0 at the end
     * of a zero-SNR schedule (sigma would be infinite), so diffusers floors it to 2^-24 there.
     */
    NoiseSchedule withFiniteTerminalSigma() {
        if (!zeroTerminalSnr) {
            return this;
        }
        double[] floored = alphasCumprod.clone();
        floored[floored.length - 1] = ZERO_SNR_TERMINAL_ALPHA_CUMPROD;
        return new NoiseSchedule(this, floored);
    }

    private static float[] betas(SchedulerConfig config, int steps) {
        double[] trained = config.getOptionalDoubles("trained_betas");
        if (trained != null) {
            if (trained.length != steps) {
                throw new IllegalArgumentException("scheduler config " + config.source() + ": 'trained_betas' has "
                        + trained.length + " values, 'num_train_timesteps' is " + steps);
            }
            float[] betas = new float[steps];
            for (int i = 0; i < steps; i++) {
                betas[i] = (float) trained[i];
            }
            return betas;
        }
        double start = config.getDouble("beta_start", 0.0001);
        double end = config.getDouble("beta_end", 0.02);
        BetaSchedule schedule = config.choice("beta_schedule", BetaSchedule.LINEAR, BetaSchedule.values());
        switch (schedule) {
            case LINEAR:
                return torchLinspace(start, end, steps);
            case SCALED_LINEAR: {
                float[] roots = torchLinspace(Math.sqrt(start), Math.sqrt(end), steps);
                for (int i = 0; i < steps; i++) {
                    roots[i] = roots[i] * roots[i];
                }
                return roots;
            }
            default:
                return cosineBetas(steps);
        }
    }

    /**
     * {@code torch.linspace(start, end, steps, dtype=float32)} as torch's CPU kernel computes it: the
     * first half counts up from start and the second half down from end (each point fused
     * {@code start + step * i}), but whole vectors of lanes take the formula of their first lane and
     * add {@code k * step}; a tail shorter than two vectors is filled point by point.
     */
    private static float[] torchLinspace(double startD, double endD, int steps) {
        float start = (float) startD;
        float end = (float) endD;
        float step = (end - start) / (steps - 1);
        float[] out = new float[steps];
        int i = 0;
        for (; i <= steps - 2 * TORCH_VECTOR_LANES; i += 2 * TORCH_VECTOR_LANES) {
            fillVector(out, i, start, end, step);
            fillVector(out, i + TORCH_VECTOR_LANES, start, end, step);
        }
        for (; i < steps; i++) {
            out[i] = linspacePoint(i, start, end, step, steps);
        }
        return out;
    }

    private static void fillVector(float[] out, int first, float start, float end, float step) {
        float base = linspacePoint(first, start, end, step, out.length);
        for (int k = 0; k < TORCH_VECTOR_LANES; k++) {
            out[first + k] = base + k * step;
        }
    }

    private static float linspacePoint(int i, float start, float end, float step, int steps) {
        return i < steps / 2 ? Math.fma(step, i, start) : Math.fma(-step, steps - i - 1, end);
    }

    /** The "squaredcos_cap_v2" (Glide cosine) betas, computed in float64 and stored as float32. */
    private static float[] cosineBetas(int steps) {
        float[] betas = new float[steps];
        for (int i = 0; i < steps; i++) {
            double t1 = (double) i / steps;
            double t2 = (double) (i + 1) / steps;
            betas[i] = (float) Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), 0.999);
        }
        return betas;
    }

    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    /**
     * Rescales betas to zero terminal SNR (Lin et al. 2023, algorithm 1) in float32 like diffusers:
     * shift sqrt(alphas_cumprod) so the last is 0, scale so the first is unchanged.
     */
    private static float[] rescaleZeroTerminalSnr(float[] betas) {
        int n = betas.length;
        float[] alphas = new float[n];
        for (int i = 0; i < n; i++) {
            alphas[i] = 1f - betas[i];
        }
        float[] roots = cumprod(alphas);
        for (int i = 0; i < n; i++) {
            roots[i] = (float) Math.sqrt(roots[i]);
        }
        float first = roots[0];
        float last = roots[n - 1];
        float scale = first / (first - last);
        float[] rescaled = new float[n];
        for (int i = 0; i < n; i++) {
            float root = (roots[i] - last) * scale;
            float alphaBar = root * root;
            rescaled[i] = alphaBar;
        }
        float[] out = new float[n];
        out[0] = 1f - rescaled[0];
        for (int i = 1; i < n; i++) {
            out[i] = 1f - rescaled[i] / rescaled[i - 1];
        }
        return out;
    }

    /** {@code torch.cumprod} on float32: torch's CPU kernel accumulates in double, stores float. */
    private static float[] cumprod(float[] values) {
        float[] out = new float[values.length];
        double product = 1.0;
        for (int i = 0; i < values.length; i++) {
            product *= values[i];
            out[i] = (float) product;
        }
        return out;
    }
}
