package dev.tuneforge.worker.engine.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * The schedulers that step on integer timesteps with alphas_cumprod directly (DDPM, DDIM, PNDM):
 * identity model input, unit starting noise, and the closed-form forward process.
 */
abstract class AlphaScheduler extends BaseScheduler {

    protected final TimestepSpacing spacing;
    protected final int stepsOffset;
    private float[] timesteps;

    protected AlphaScheduler(SchedulerConfig config, NoiseSchedule schedule, PredictionType... supported) {
        super(config, schedule, supported);
        this.spacing = config.choice("timestep_spacing", TimestepSpacing.LEADING, TimestepSpacing.values());
        this.stepsOffset = config.getInt("steps_offset", 0);
        this.timesteps = new float[schedule.trainSteps()];
        for (int i = 0; i < timesteps.length; i++) {
            timesteps[i] = timesteps.length - 1 - i;
        }
    }

    @Override
    public void setTimesteps(int steps) {
        setInferenceSteps(steps);
        timesteps = NumpyMath.toFloats(spacing.descending(schedule.trainSteps(), steps, stepsOffset, true));
        reset();
    }

    @Override
    public float[] timesteps() {
        return timesteps.clone();
    }

    @Override
    public float initNoiseSigma() {
        return 1f;
    }

    @Override
    public NDArray scaleModelInput(NDArray sample, float t) {
        return sample;
    }

    @Override
    public NDArray addNoise(NDArray original, NDArray noise, float[] timesteps) {
        AlphaMix mix = alphaMix(timesteps);
        return perRow(original, mix.signal()).mul(original).add(perRow(noise, mix.noise()).mul(noise));
    }

    @Override
    public void reset() {
    }

    protected void setSchedule(float[] timesteps) {
        this.timesteps = timesteps;
    }

    /** diffusers' previous timestep: one stride of {@code train / inference steps} back (negative past the start). */
    protected int previousTimestep(int t) {
        return t - schedule.trainSteps() / inferenceSteps();
    }

    /** x0 from the model output at a timestep whose cumulative alpha is {@code alphaProd}. */
    protected NDArray predictOriginal(NDArray modelOutput, NDArray sample, float alphaProd) {
        float betaProd = 1f - alphaProd;
        switch (prediction) {
            case EPSILON:
                return sample.sub(modelOutput.mul(sqrt(betaProd))).div(sqrt(alphaProd));
            case V_PREDICTION:
                return sample.mul(sqrt(alphaProd)).sub(modelOutput.mul(sqrt(betaProd)));
            default:
                return modelOutput;
        }
    }

    /** Clamps x0 to [-range, range] where the config enables {@code clip_sample}. */
    protected static NDArray clip(NDArray originalSample, boolean enabled, float range) {
        return enabled ? originalSample.clip(-range, range) : originalSample;
    }
}
