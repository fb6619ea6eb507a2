package dev.tuneforge.worker.engine.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * The schedulers that step through a table of noise levels sigma = sqrt((1 - acp) / acp) (Euler,
 * Euler ancestral, DPM-Solver): k-diffusion style. Like diffusers they find their place in the
 * schedule from the first timestep they are given and then advance one entry per step.
 */
abstract class SigmaScheduler extends BaseScheduler {

    /** Training sigmas in float32, index = training timestep (ascending noise). */
    protected final float[] trainingSigmas;
    private float[] timesteps;
    /** One entry per timestep plus the final sigma. */
    private float[] sigmas;
    private int stepIndex = -1;

    protected SigmaScheduler(SchedulerConfig config, NoiseSchedule schedule, PredictionType... supported) {
        super(config, schedule, supported);
        int n = schedule.trainSteps();
        trainingSigmas = new float[n];
        for (int t = 0; t < n; t++) {
            float alphaProd = (float) schedule.alphaCumprod(t);
            trainingSigmas[t] = sqrt((1f - alphaProd) / alphaProd);
        }
        float[] fullTimesteps = new float[n];
        float[] fullSigmas = new float[n + 1];
        for (int i = 0; i < n; i++) {
            fullTimesteps[i] = n - 1 - i;
            fullSigmas[i] = trainingSigmas[n - 1 - i];
        }
        setSchedule(fullTimesteps, fullSigmas);
    }

    @Override
    public float[] timesteps() {
        return timesteps.clone();
    }

    /** The noise level at each step of the current run, plus the final one (0 unless configured otherwise). */
    public double[] sigmas() {
        double[] out = new double[sigmas.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sigmas[i];
        }
        return out;
    }

    @Override
    public void reset() {
        stepIndex = -1;
    }

    /** Installs a new schedule; the next step looks its place up again. */
    protected void setSchedule(float[] timesteps, float[] sigmas) {
        this.timesteps = timesteps;
        this.sigmas = sigmas;
        stepIndex = -1;
    }

    protected float sigma(int index) {
        return sigmas[index];
    }

    protected int scheduleLength() {
        return timesteps.length;
    }

    /** The position in the schedule: found from {@code t} on the first call of a run, then advanced by {@link #advance}. */
    protected int stepIndex(float t) {
        if (stepIndex < 0) {
            stepIndex = indexForTimestep(t);
        }
        return stepIndex;
    }

    protected void advance() {
        stepIndex++;
    }

    /**
     * Where {@code t} sits in the schedule; of repeated timesteps (Karras schedules) the second, so
     * that a run started midway (img2img) does not skip a sigma.
     */
    protected int indexForTimestep(float t) {
        int first = -1;
        for (int i = 0; i < timesteps.length; i++) {
            if (timesteps[i] == t) {
                if (first >= 0) {
                    return i;
                }
                first = i;
            }
        }
        return first >= 0 ? first : missingTimestep(t);
    }

    /** What a timestep that is not in the schedule maps to. */
    protected abstract int missingTimestep(float t);

    protected IllegalArgumentException notInSchedule(float t) {
        return new IllegalArgumentException("timestep " + t + " is not in the current schedule of " + timesteps.length
                + " steps (scheduler " + source + ")");
    }

    /** The sigma at each given timestep, one per batch row, as an array broadcasting over {@code like}. */
    protected NDArray sigmasAt(NDArray like, float[] timesteps) {
        float[] values = new float[timesteps.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = sigmas[indexForTimestep(timesteps[i])];
        }
        return perRow(like, values);
    }

    /** Karras et al. (2022) noise levels: evenly spaced in sigma^(1/7) from max down to min. */
    protected static double[] karrasSigmas(double sigmaMin, double sigmaMax, int steps) {
        double rho = 7.0;
        double minInvRho = Math.pow(sigmaMin, 1 / rho);
        double maxInvRho = Math.pow(sigmaMax, 1 / rho);
        double[] ramp = NumpyMath.linspace(0, 1, steps);
        double[] out = new double[steps];
        for (int i = 0; i < steps; i++) {
            out[i] = Math.pow(maxInvRho + ramp[i] * (minInvRho - maxInvRho), rho);
        }
        return out;
    }

    /** The fractional training timestep of a noise level: linear interpolation in log sigma. */
    protected double sigmaToTimestep(double sigma) {
        double logSigma = Math.log(Math.max(sigma, 1e-10));
        int last = trainingSigmas.length - 1;
        int low = 0;
        for (int i = 0; i <= last; i++) {
            if (logSigma - logTrainingSigma(i) >= 0) {
                low = i;
            }
        }
        low = Math.min(low, last - 1);
        double lowLog = logTrainingSigma(low);
        double highLog = logTrainingSigma(low + 1);
        double w = Math.min(1, Math.max(0, (lowLog - logSigma) / (lowLog - highLog)));
        return (1 - w) * low + w * (low + 1);
    }

    private double logTrainingSigma(int t) {
        return (float) Math.log(trainingSigmas[t]);
    }
}
