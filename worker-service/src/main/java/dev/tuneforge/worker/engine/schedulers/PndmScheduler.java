package dev.tuneforge.worker.engine.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

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
        super.setTimesteps(steps);
        int[] ascending = reversedInts(timesteps());
        int n = ascending.length;
        int[] plms;
        if (skipPrkSteps) {
            // Multistep from the start; the second timestep is taken twice (diffusers'
            // concatenate([ts[:-1], ts[-2:-1], ts[-1:]])).
            plms = n < 2 ? ascending : new int[n + 1];
            if (n >= 2) {
                System.arraycopy(ascending, 0, plms, 0, n - 1);
                plms[n - 1] = ascending[n - 2];
                plms[n] = ascending[n - 1];
            }
            prkTimesteps = new int[0];
        } else {
            if (n < ORDER) {
                throw new IllegalArgumentException("PNDM with Runge-Kutta warm-up (skip_prk_steps false) needs at least "
                        + ORDER + " steps, got " + n + " (scheduler " + source + ")");
            }
            prkTimesteps = rungeKuttaTimesteps(ascending, steps);
            plms = Arrays.copyOf(ascending, n - 3);
        }
        int[] all = new int[prkTimesteps.length + plms.length];
        System.arraycopy(prkTimesteps, 0, all, 0, prkTimesteps.length);
        int[] plmsDescending = reversedInts(plms);
        System.arraycopy(plmsDescending, 0, all, prkTimesteps.length, plms.length);
        float[] schedule = new float[all.length];
        for (int i = 0; i < all.length; i++) {
            schedule[i] = all[i];
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

    /** The Runge-Kutta timesteps: the last {@value #ORDER} with half-stride midpoints, each used twice. */
    private int[] rungeKuttaTimesteps(int[] ascending, int steps) {
        int halfStride = schedule.trainSteps() / steps / 2;
        int n = ascending.length;
        int[] withMidpoints = new int[2 * ORDER];
        for (int i = 0; i < ORDER; i++) {
            int base = ascending[n - ORDER + i];
            withMidpoints[2 * i] = base;
            withMidpoints[2 * i + 1] = base + halfStride;
        }
        // diffusers: (x[:-1].repeat(2)[1:-1])[::-1]
        int kept = withMidpoints.length - 1;
        int[] repeated = new int[2 * kept];
        for (int i = 0; i < kept; i++) {
            repeated[2 * i] = withMidpoints[i];
            repeated[2 * i + 1] = withMidpoints[i];
        }
        int[] trimmed = Arrays.copyOfRange(repeated, 1, repeated.length - 1);
        return reversedInts(trimmed);
    }

    private static int[] reversedInts(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (int) values[values.length - 1 - i];
        }
        return out;
    }

    private static int[] reversedInts(int[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[values.length - 1 - i];
        }
        return out;
    }
}
