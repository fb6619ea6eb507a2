package dev.tuneforge.worker.engine.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * Euler's method on the probability-flow ODE (Karras et al. 2022, algorithm 2): a port of diffusers'
 * {@code EulerDiscreteScheduler} without "churn" noise. Optionally on Karras noise levels.
 */
public class EulerDiscreteScheduler extends SigmaScheduler {

    private final TimestepSpacing spacing;
    private final int stepsOffset;
    private final boolean karras;
    private final Double sigmaMin;
    private final Double sigmaMax;
    private final FinalSigmas finalSigmas;

    EulerDiscreteScheduler(SchedulerConfig config) {
        this(config, config.getBoolean("use_karras_sigmas", false),
                config.choice("final_sigmas_type", FinalSigmas.ZERO, FinalSigmas.values()), PredictionType.values());
        config.requireString("interpolation_type", "linear");
        config.requireString("timestep_type", "discrete");
    }

    protected EulerDiscreteScheduler(SchedulerConfig config, boolean karras, FinalSigmas finalSigmas,
            PredictionType... supported) {
        super(config, NoiseSchedule.read(config, true).withFiniteTerminalSigma(), supported);
        this.spacing = config.choice("timestep_spacing", TimestepSpacing.LINSPACE, TimestepSpacing.values());
        this.stepsOffset = config.getInt("steps_offset", 0);
        this.karras = karras;
        this.sigmaMin = karras ? config.getOptionalDouble("sigma_min") : null;
        this.sigmaMax = karras ? config.getOptionalDouble("sigma_max") : null;
        this.finalSigmas = finalSigmas;
    }

    @Override
    public void setTimesteps(int steps) {
        setInferenceSteps(steps);
        double[] timesteps = NumpyMath.toFloat32(spacing.descending(numTrainTimesteps(), steps, stepsOffset, false));
        double[] levels = NumpyMath.interp(timesteps, trainingSigmas);
        if (karras) {
            levels = karrasSigmas(sigmaMin != null ? sigmaMin : levels[levels.length - 1],
                    sigmaMax != null ? sigmaMax : levels[0], steps);
            for (int i = 0; i < steps; i++) {
                timesteps[i] = sigmaToTimestep(levels[i]);
            }
        }
        float[] sigmas = new float[steps + 1];
        for (int i = 0; i < steps; i++) {
            sigmas[i] = (float) levels[i];
        }
        sigmas[steps] = (float) finalSigmas.value(trainingSigmas);
        setSchedule(NumpyMath.toFloats(timesteps), sigmas);
    }

    /** The largest sigma; with "leading" spacing that of the noisy sample scaled for unit variance. */
    @Override
    public float initNoiseSigma() {
        float max = 0;
        for (double sigma : sigmas()) {
            max = Math.max(max, (float) sigma);
        }
        return spacing == TimestepSpacing.LEADING ? sqrt(max * max + 1f) : max;
    }

    @Override
    public NDArray scaleModelInput(NDArray sample, float t) {
        float sigma = sigma(stepIndex(t));
        return sample.div(sqrt(sigma * sigma + 1f));
    }

    @Override
    public StepOutput step(NDArray modelOutput, float t, NDArray sample, NoiseSource noise) {
        int index = stepIndex(t);
        float sigma = sigma(index);
        NDArray original = predictOriginal(modelOutput, sample, sigma);
        // The ODE derivative dx/dsigma, followed down to the next sigma.
        NDArray derivative = sample.sub(original).div(sigma);
        NDArray prevSample = sample.add(derivative.mul(sigma(index + 1) - sigma));
        advance();
        return new StepOutput(prevSample, original);
    }

    @Override
    public NDArray addNoise(NDArray original, NDArray noise, float[] timesteps) {
        return original.add(noise.mul(sigmasAt(noise, timesteps)));
    }

    /** x0 in the k-diffusion parameterisation x = x0 + sigma * eps. */
    protected NDArray predictOriginal(NDArray modelOutput, NDArray sample, float sigma) {
        switch (prediction) {
            case EPSILON:
                return sample.sub(modelOutput.mul(sigma));
            case V_PREDICTION:
                return modelOutput.mul(-sigma / sqrt(sigma * sigma + 1f)).add(sample.div(sigma * sigma + 1f));
            default:
                return modelOutput;
        }
    }

    @Override
    protected int missingTimestep(float t) {
        throw notInSchedule(t);
    }
}
