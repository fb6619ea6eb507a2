package dev.tuneforge.worker.engine.schedulers;

import ai.djl.ndarray.NDArray;

/** Denoising diffusion probabilistic models (Ho et al. 2020): a port of diffusers' {@code DDPMScheduler}. */
public final class DdpmScheduler extends AlphaScheduler {

    /** diffusers' {@code variance_type}; the learned variants need a network with twice the channels. */
    enum VarianceType implements ConfigChoice {
        FIXED_SMALL("fixed_small"),
        FIXED_SMALL_LOG("fixed_small_log"),
        FIXED_LARGE("fixed_large");

        private final String configName;

        VarianceType(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    private final VarianceType varianceType;
    private final boolean clipSample;
    private final float clipSampleRange;

    DdpmScheduler(SchedulerConfig config) {
        super(config, NoiseSchedule.read(config, true), PredictionType.values());
        config.requireFalse("thresholding");
        this.varianceType = config.choice("variance_type", VarianceType.FIXED_SMALL, VarianceType.values());
        this.clipSample = config.getBoolean("clip_sample", true);
        this.clipSampleRange = (float) config.getDouble("clip_sample_range", 1.0);
    }

    @Override
    public StepOutput step(NDArray modelOutput, float timestep, NDArray sample, NoiseSource noise) {
        int t = trainingTimestep(timestep);
        int prev = previousTimestep(t);
        float alphaProd = alphaCumprod(t);
        float alphaProdPrev = prev >= 0 ? alphaCumprod(prev) : 1f;
        float betaProd = 1f - alphaProd;
        float betaProdPrev = 1f - alphaProdPrev;
        float currentAlpha = alphaProd / alphaProdPrev;
        float currentBeta = 1f - currentAlpha;

        NDArray original = clip(predictOriginal(modelOutput, sample, alphaProd), clipSample, clipSampleRange);
        // Posterior mean, formula (7) of the DDPM paper.
        float originalCoeff = sqrt(alphaProdPrev) * currentBeta / betaProd;
        float sampleCoeff = sqrt(currentAlpha) * betaProdPrev / betaProd;
        NDArray prevSample = original.mul(originalCoeff).add(sample.mul(sampleCoeff));
        if (t > 0) {
            NDArray variance = noise.next(sample.getManager(), modelOutput.getShape()).mul(varianceStd(t));
            prevSample = prevSample.add(variance);
        }
        return new StepOutput(prevSample, original);
    }

    /** The standard deviation of the noise added when stepping down from {@code t}. */
    float varianceStd(int t) {
        int prev = previousTimestep(t);
        float alphaProd = alphaCumprod(t);
        float alphaProdPrev = prev >= 0 ? alphaCumprod(prev) : 1f;
        float currentBeta = 1f - alphaProd / alphaProdPrev;
        // Posterior variance, formulas (6)-(7); clamped because it is 0 at the first training step.
        float variance = Math.max((1f - alphaProdPrev) / (1f - alphaProd) * currentBeta, 1e-20f);
        switch (varianceType) {
            case FIXED_SMALL_LOG:
                return (float) Math.exp(0.5 * (float) Math.log(variance));
            case FIXED_LARGE:
                return sqrt(currentBeta);
            default:
                return sqrt(variance);
        }
    }
}
