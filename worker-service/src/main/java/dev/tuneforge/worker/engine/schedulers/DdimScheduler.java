package dev.tuneforge.worker.engine.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * Denoising diffusion implicit models (Song et al. 2020): a port of diffusers' {@code DDIMScheduler}.
 * {@code eta} (default 0, deterministic) blends in DDPM-like fresh noise; it is a step argument in
 * diffusers, so it is set here rather than read from the config.
 */
public final class DdimScheduler extends AlphaScheduler {

    private final boolean clipSample;
    private final float clipSampleRange;
    /** alphas_cumprod "before" the first training step: 1, or that of t = 0 ({@code set_alpha_to_one}). */
    private final float finalAlphaCumprod;
    private float eta;

    DdimScheduler(SchedulerConfig config) {
        super(config, NoiseSchedule.read(config, true), PredictionType.values());
        config.requireFalse("thresholding");
        this.clipSample = config.getBoolean("clip_sample", true);
        this.clipSampleRange = (float) config.getDouble("clip_sample_range", 1.0);
        this.finalAlphaCumprod = config.getBoolean("set_alpha_to_one", true) ? 1f : alphaCumprod(0);
    }

    /** The weight of fresh noise, 0 (DDIM) to 1 (DDPM-like variance). */
    public void setEta(double eta) {
        if (!(eta >= 0)) {
            throw new IllegalArgumentException("DDIM eta must be >= 0, got " + eta);
        }
        this.eta = (float) eta;
    }

    public double eta() {
        return eta;
    }

    @Override
    public StepOutput step(NDArray modelOutput, float timestep, NDArray sample, NoiseSource noise) {
        int t = trainingTimestep(timestep);
        int prev = previousTimestep(t);
        float alphaProd = alphaCumprod(t);
        float alphaProdPrev = prev >= 0 ? alphaCumprod(prev) : finalAlphaCumprod;
        float betaProd = 1f - alphaProd;

        NDArray original = clip(predictOriginal(modelOutput, sample, alphaProd), clipSample, clipSampleRange);
        NDArray epsilon = predictEpsilon(modelOutput, sample, alphaProd);
        // sigma_t of formula (16), scaled by eta.
        float variance = (1f - alphaProdPrev) / betaProd * (1f - alphaProd / alphaProdPrev);
        float std = eta * sqrt(variance);
        // Formula (12): x_{t-1} = sqrt(a_prev) x0 + sqrt(1 - a_prev - std^2) eps + std z.
        NDArray direction = epsilon.mul(sqrt(1f - alphaProdPrev - std * std));
        NDArray prevSample = original.mul(sqrt(alphaProdPrev)).add(direction);
        if (eta > 0) {
            prevSample = prevSample.add(noise.next(sample.getManager(), modelOutput.getShape()).mul(std));
        }
        return new StepOutput(prevSample, original);
    }

    /** The noise estimate from the raw (unclipped) model output, as diffusers derives it per prediction type. */
    private NDArray predictEpsilon(NDArray modelOutput, NDArray sample, float alphaProd) {
        float betaProd = 1f - alphaProd;
        switch (prediction) {
            case EPSILON:
                return modelOutput;
            case V_PREDICTION:
                return modelOutput.mul(sqrt(alphaProd)).add(sample.mul(sqrt(betaProd)));
            default:
                return sample.sub(modelOutput.mul(sqrt(alphaProd))).div(sqrt(betaProd));
        }
    }
}
