package dev.tuneforge.worker.engine.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Pseudo numerical methods for diffusion models (Liu et al. 2022): a port of diffusers'
 * {@code PNDMScheduler}. Runge-Kutta warm-up steps ({@code skip_prk_steps} false) followed by
 * linear multistep steps that combine up to four earlier model outputs; Stable Diffusion skips the
 * warm-up and repeats the second timestep instead, so a run has one step more than asked.
 */
public final class PndmScheduler extends AlphaScheduler {

    private static final int ORDER = 4;

    private final boolean skipPrkSteps;
    private final float finalAlphaCumprod;
    private final TensorHistory modelOutputs = new TensorHistory(ORDER);
    /** The sample a multistep pair or a Runge-Kutta group started from. */
    private final TensorHistory startSample = new TensorHistory(1);
    /** The weighted sum of a Runge-Kutta group's outputs so far. */
    private final TensorHistory rungeKuttaSum = new TensorHistory(1);
    private int[] prkTimesteps = new int[0];
    private int counter;

    PndmScheduler(SchedulerConfig config) {
        super(config, NoiseSchedule.read(config, false), PredictionType.EPSILON, PredictionType.V_PREDICTION);
        this.skipPrkSteps = config.getBoolean("skip_prk_steps", false);
        this.finalAlphaCumprod = config.getBoolean("set_alpha_to_one", false) ? 1f : alphaCumprod(0);
    }

    @Override
    public void setTimesteps(int steps) {
        if (!skipPrkSteps && steps < ORDER) {
            throw new IllegalArgumentException("PNDM with Runge-Kutta warm-up (skip_prk_steps false) needs at least "
                    + ORDER + " steps, got " + steps + " (scheduler " + source + ")");
        }
        super.setTimesteps(steps);
        float[] descending = timesteps();
        float[] schedule;
        if (skipPrkSteps) {
            // Multistep from the start, the second timestep taken twice (its first visit is redone).
            schedule = descending;
            if (descending.length > 1) {
                schedule = new float[descending.length + 1];
                schedule[0] = descending[0];
                System.arraycopy(descending, 1, schedule, 2, descending.length - 1);
                schedule[1] = descending[1];
            }
            prkTimesteps = new int[0];
        } else {
            // Runge-Kutta over the first three intervals, multistep from the fourth timestep on.
            prkTimesteps = rungeKuttaTimesteps(descending, steps);
            schedule = new float[prkTimesteps.length + descending.length - (ORDER - 1)];
            for (int i = 0; i < prkTimesteps.length; i++) {
                schedule[i] = prkTimesteps[i];
            }
            System.arraycopy(descending, ORDER - 1, schedule, prkTimesteps.length, descending.length - (ORDER - 1));
        }
        setSchedule(schedule);
    }

    @Override
    public StepOutput step(NDArray modelOutput, float timestep, NDArray sample, NoiseSource noise) {
        int t = trainingTimestep(timestep);
        NDArray prevSample = counter < prkTimesteps.length && !skipPrkSteps
                ? stepRungeKutta(modelOutput, t, sample)
                : stepMultistep(modelOutput, t, sample);
        counter++;
        return new StepOutput(prevSample, null);
    }

    @Override
    public void reset() {
        counter = 0;
        modelOutputs.clear();
        startSample.clear();
        rungeKuttaSum.clear();
    }

    @Override
    public void close() {
        modelOutputs.close();
        startSample.close();
        rungeKuttaSum.close();
        counter = 0;
    }

    /** Fourth-order Runge-Kutta: four model evaluations per step, weights 1/6, 1/3, 1/3, 1/6. */
    private NDArray stepRungeKutta(NDArray modelOutput, int t, NDArray sample) {
        NDManager manager = sample.getManager();
        int stride = schedule.trainSteps() / inferenceSteps();
        int prev = t - (counter % 2 == 1 ? 0 : stride / 2);
        int from = prkTimesteps[counter / 4 * 4];
        NDArray output = modelOutput;
        switch (counter % 4) {
            case 0:
                rungeKuttaSum.push(modelOutput.mul(1f / 6));
                modelOutputs.push(modelOutput);
                startSample.push(sample);
                break;
            case 3:
                output = rungeKuttaSum.recent(0, manager).add(modelOutput.mul(1f / 6));
                rungeKuttaSum.clear();
                break;
            default:
                rungeKuttaSum.push(rungeKuttaSum.recent(0, manager).add(modelOutput.mul(1f / 3)));
                break;
        }
        NDArray start = startSample.size() > 0 ? startSample.recent(0, manager) : sample;
        return previousSample(start, from, prev, output);
    }

    /** Linear multistep: Adams-Bashforth over the last one to four model outputs. */
    private NDArray stepMultistep(NDArray modelOutput, int t, NDArray sample) {
        NDManager manager = sample.getManager();
        int stride = schedule.trainSteps() / inferenceSteps();
        int prev = t - stride;
        int from = t;
        if (counter != 1) {
            modelOutputs.push(modelOutput);
        } else {
            // The repeated timestep: redo the first step from its start with the averaged output.
            prev = t;
            from = t + stride;
        }
        NDArray output;
        NDArray start = sample;
        int known = modelOutputs.size();
        if (known == 1 && counter == 0) {
            output = modelOutput;
            startSample.push(sample);
        } else if (known == 1 && counter == 1) {
            output = modelOutput.add(modelOutputs.recent(0, manager)).div(2f);
            start = startSample.recent(0, manager);
            startSample.clear();
        } else if (known == 2) {
            output = modelOutput.mul(3f).sub(modelOutputs.recent(1, manager)).div(2f);
        } else if (known == 3) {
            output = modelOutput.mul(23f).sub(modelOutputs.recent(1, manager).mul(16f))
                    .add(modelOutputs.recent(2, manager).mul(5f)).div(12f);
        } else {
            output = modelOutput.mul(55f).sub(modelOutputs.recent(1, manager).mul(59f))
                    .add(modelOutputs.recent(2, manager).mul(37f)).sub(modelOutputs.recent(3, manager).mul(9f))
                    .mul(1f / 24);
        }
        return previousSample(start, from, prev, output);
    }

    /** Formula (9) of the PNDM paper: the transfer from timestep {@code t} to {@code prev}. */
    private NDArray previousSample(NDArray sample, int t, int prev, NDArray modelOutput) {
        float alphaProd = alphaCumprod(t);
        float alphaProdPrev = prev >= 0 ? alphaCumprod(prev) : finalAlphaCumprod;
        float betaProd = 1f - alphaProd;
        float betaProdPrev = 1f - alphaProdPrev;
        NDArray epsilon = prediction == PredictionType.V_PREDICTION
                ? modelOutput.mul(sqrt(alphaProd)).add(sample.mul(sqrt(betaProd)))
                : modelOutput;
        float sampleCoeff = sqrt(alphaProdPrev / alphaProd);
        float denominator = alphaProd * sqrt(betaProdPrev) + sqrt(alphaProd * betaProd * alphaProdPrev);
        return sample.mul(sampleCoeff).sub(epsilon.mul(alphaProdPrev - alphaProd).div(denominator));
    }

    /**
     * The Runge-Kutta timesteps of diffusers: the {@value #ORDER} noisiest timesteps each followed by
     * its half-stride midpoint, every point but the two ends visited twice, noisiest first.
     */
    private int[] rungeKuttaTimesteps(float[] descending, int steps) {
        int halfStride = schedule.trainSteps() / steps / 2;
        int[] withMidpoints = new int[2 * ORDER];
        for (int i = 0; i < ORDER; i++) {
            int base = (int) descending[ORDER - 1 - i];
            withMidpoints[2 * i] = base;
            withMidpoints[2 * i + 1] = base + halfStride;
        }
        // (x[:-1].repeat(2)[1:-1])[::-1]
        int kept = withMidpoints.length - 1;
        int[] out = new int[2 * kept - 2];
        for (int j = 0; j < out.length; j++) {
            out[out.length - 1 - j] = withMidpoints[(j + 1) / 2];
        }
        return out;
    }
}
