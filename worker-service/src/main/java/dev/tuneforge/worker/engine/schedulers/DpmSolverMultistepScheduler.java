package dev.tuneforge.worker.engine.schedulers;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * DPM-Solver++ multistep (Lu et al. 2022), orders 1 and 2 ("DPM++ 2M", midpoint), optionally on Karras noise
 * levels: a port of diffusers' {@code DPMSolverMultistepScheduler} for {@code algorithm_type}
 * "dpmsolver++". The model output is first converted to a data prediction x0; the second-order
 * update extrapolates from this step's and the previous step's x0 in log-SNR time.
 */
public final class DpmSolverMultistepScheduler extends SigmaScheduler {

    private final TimestepSpacing spacing;
    private final int stepsOffset;
    private final int solverOrder;
    private final boolean lowerOrderFinal;
    private final boolean eulerAtFinal;
    private final boolean karras;
    private final FinalSigmas finalSigmas;
    private final double lambdaMinClipped;
    private final TensorHistory dataPredictions;
    /** How many steps of this run have fed the history, capped at the solver order. */
    private int lowerOrderNums;
    private int lastSolverOrder;

    DpmSolverMultistepScheduler(SchedulerConfig config) {
        super(config, NoiseSchedule.read(config, true).withFiniteTerminalSigma(), PredictionType.values());
        config.requireString("algorithm_type", "dpmsolver++");
        config.requireFalse("thresholding");
        config.requireFalse("use_lu_lambdas");
        config.requireUnset("variance_type");
        this.spacing = config.choice("timestep_spacing", TimestepSpacing.LINSPACE, TimestepSpacing.values());
        this.stepsOffset = config.getInt("steps_offset", 0);
        this.solverOrder = config.intChoice("solver_order", 2, List.of(1, 2));
        config.requireString("solver_type", "midpoint");
        this.lowerOrderFinal = config.getBoolean("lower_order_final", true);
        this.eulerAtFinal = config.getBoolean("euler_at_final", false);
        this.karras = config.getBoolean("use_karras_sigmas", false);
        this.finalSigmas = config.choice("final_sigmas_type", FinalSigmas.ZERO, FinalSigmas.values());
        this.lambdaMinClipped = config.getDouble("lambda_min_clipped", Double.NEGATIVE_INFINITY);
        this.dataPredictions = new TensorHistory(solverOrder);
    }

    @Override
    public void setTimesteps(int steps) {
        setInferenceSteps(steps);
        int n = numTrainTimesteps();
        double[] timesteps;
        double[] levels;
        if (karras) {
            levels = karrasSigmas(trainingSigmas[0], trainingSigmas[n - 1], steps);
            timesteps = new double[steps];
            for (int i = 0; i < steps; i++) {
                timesteps[i] = Math.rint(sigmaToTimestep(levels[i]));
            }
        } else {
            timesteps = spacing.descendingMultistep(n, lastTimestep(), steps, stepsOffset);
            levels = NumpyMath.interp(timesteps, trainingSigmas);
        }
        float[] sigmas = new float[steps + 1];
        for (int i = 0; i < steps; i++) {
            sigmas[i] = (float) levels[i];
        }
        sigmas[steps] = (float) finalSigmas.value(trainingSigmas);
        setSchedule(NumpyMath.toFloats(timesteps), sigmas);
        reset();
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
    public StepOutput step(NDArray modelOutput, float t, NDArray sample, NoiseSource noise) {
        inferenceSteps(); // fails unless setTimesteps started a run
        int index = stepIndex(t);
        int steps = scheduleLength();
        // Fewer than 15 steps, or a final sigma of 0, are unstable at second order on the last step.
        boolean finalFirstOrder = index == steps - 1
                && (eulerAtFinal || (lowerOrderFinal && steps < 15) || finalSigmas == FinalSigmas.ZERO);
        NDArray dataPrediction = convertModelOutput(modelOutput, sample, sigma(index));
        NDArray prevSample;
        if (solverOrder == 1 || lowerOrderNums < 1 || finalFirstOrder) {
            prevSample = firstOrderUpdate(dataPrediction, sample, index);
            lastSolverOrder = 1;
        } else {
            NDArray previous = dataPredictions.recent(0, sample.getManager());
            prevSample = secondOrderUpdate(dataPrediction, previous, sample, index);
            lastSolverOrder = 2;
        }
        dataPredictions.push(dataPrediction);
        lowerOrderNums = Math.min(lowerOrderNums + 1, solverOrder);
        advance();
        return new StepOutput(prevSample, dataPrediction);
    }

    @Override
    public NDArray addNoise(NDArray original, NDArray noise, float[] timesteps) {
        float[] alphas = new float[timesteps.length];
        float[] sigmas = new float[timesteps.length];
        for (int i = 0; i < timesteps.length; i++) {
            AlphaSigma level = AlphaSigma.of(sigma(indexForTimestep(timesteps[i])));
            alphas[i] = level.alpha;
            sigmas[i] = level.sigma;
        }
        return perRow(original, alphas).mul(original).add(perRow(noise, sigmas).mul(noise));
    }

    @Override
    public void reset() {
        super.reset();
        dataPredictions.clear();
        lowerOrderNums = 0;
    }

    @Override
    public void close() {
        reset();
        dataPredictions.close();
    }

    /** 1 or 2: the order of the update the last {@link #step} used. */
    int lastSolverOrder() {
        return lastSolverOrder;
    }

    /** diffusers: a timestep outside the schedule counts as the last step. */
    @Override
    protected int missingTimestep(float t) {
        return scheduleLength() - 1;
    }

    /** The end of the usable training range: timesteps whose log-SNR is below {@code lambda_min_clipped} are cut. */
    private int lastTimestep() {
        int clipped = 0;
        for (int t = 0; t < numTrainTimesteps(); t++) {
            float alphaProd = alphaCumprod(t);
            float lambda = (float) Math.log(sqrt(alphaProd)) - (float) Math.log(sqrt(1f - alphaProd));
            if (lambda < lambdaMinClipped) {
                clipped++;
            }
        }
        return numTrainTimesteps() - clipped;
    }

    /** The data prediction x0 = (x - sigma_t eps) / alpha_t (for epsilon models). */
    private NDArray convertModelOutput(NDArray modelOutput, NDArray sample, float sigma) {
        AlphaSigma level = AlphaSigma.of(sigma);
        switch (prediction) {
            case EPSILON:
                return sample.sub(modelOutput.mul(level.sigma)).div(level.alpha);
            case V_PREDICTION:
                return sample.mul(level.alpha).sub(modelOutput.mul(level.sigma));
            default:
                return modelOutput;
        }
    }

    /** DPM-Solver++(1), equivalent to a DDIM step: x_t = (sigma_t/sigma_s) x - alpha_t (e^-h - 1) x0. */
    private NDArray firstOrderUpdate(NDArray dataPrediction, NDArray sample, int index) {
        AlphaSigma target = AlphaSigma.of(sigma(index + 1));
        AlphaSigma current = AlphaSigma.of(sigma(index));
        float h = target.lambda() - current.lambda();
        return sample.mul(target.sigma / current.sigma)
                .sub(dataPrediction.mul(target.alpha * ((float) Math.exp(-h) - 1f)));
    }

    /** Multistep DPM-Solver++(2M), midpoint form: D1 is the x0 slope between this step and the previous one. */
    private NDArray secondOrderUpdate(NDArray current, NDArray previous, NDArray sample, int index) {
        AlphaSigma target = AlphaSigma.of(sigma(index + 1));
        AlphaSigma s0 = AlphaSigma.of(sigma(index));
        AlphaSigma s1 = AlphaSigma.of(sigma(index - 1));
        float h = target.lambda() - s0.lambda();
        float h0 = s0.lambda() - s1.lambda();
        float r0 = h0 / h;
        NDArray d1 = current.sub(previous).mul(1f / r0);
        float expm1 = (float) Math.exp(-h) - 1f;
        return sample.mul(target.sigma / s0.sigma).sub(current.mul(target.alpha * expm1))
                .sub(d1.mul(0.5f * (target.alpha * expm1)));
    }

    /** A noise level in VP form: alpha_t = 1/sqrt(sigma^2+1), sigma_t = sigma alpha_t, in float32. */
    private record AlphaSigma(float alpha, float sigma) {

        static AlphaSigma of(float sigma) {
            float alpha = 1f / sqrt(sigma * sigma + 1f);
            return new AlphaSigma(alpha, sigma * alpha);
        }

        /** log-SNR lambda = log alpha_t - log sigma_t (infinite at sigma 0). */
        float lambda() {
            return (float) Math.log(alpha) - (float) Math.log(sigma);
        }
    }
}
