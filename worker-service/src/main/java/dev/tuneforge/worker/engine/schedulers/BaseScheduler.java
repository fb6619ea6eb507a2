package dev.tuneforge.worker.engine.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/** What every scheduler shares: the training noise schedule, the prediction type, the velocity target. */
abstract class BaseScheduler implements Scheduler {

    protected final NoiseSchedule schedule;
    protected final PredictionType prediction;
    protected final String source;
    /** 0 until {@link #setTimesteps}. */
    private int inferenceSteps;

    protected BaseScheduler(SchedulerConfig config, NoiseSchedule schedule, PredictionType... supported) {
        this.schedule = schedule;
        this.prediction = config.choice("prediction_type", PredictionType.EPSILON, supported);
        this.source = config.source();
    }

    @Override
    public String predictionType() {
        return prediction.configName();
    }

    @Override
    public double[] alphasCumprod() {
        return schedule.alphasCumprod();
    }

    /** The training betas (float32 values). */
    double[] betas() {
        return schedule.betas();
    }

    @Override
    public int numTrainTimesteps() {
        return schedule.trainSteps();
    }

    @Override
    public NDArray velocity(NDArray sample, NDArray noise, long[] timesteps) {
        float[] ts = new float[timesteps.length];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = timesteps[i];
        }
        AlphaMix mix = alphaMix(ts);
        return perRow(noise, mix.signal()).mul(noise).sub(perRow(sample, mix.noise()).mul(sample));
    }

    @Override
    public void close() {
        reset();
    }

    /** Per timestep, the forward process's coefficients sqrt(acp[t]) and sqrt(1 - acp[t]) in float32. */
    protected AlphaMix alphaMix(float[] timesteps) {
        float[] signal = new float[timesteps.length];
        float[] noise = new float[timesteps.length];
        for (int i = 0; i < timesteps.length; i++) {
            float alphaProd = alphaCumprod(trainingTimestep(timesteps[i]));
            signal[i] = sqrt(alphaProd);
            noise[i] = sqrt(1f - alphaProd);
        }
        return new AlphaMix(signal, noise);
    }

    protected record AlphaMix(float[] signal, float[] noise) {
    }

    protected float alphaCumprod(int t) {
        return (float) schedule.alphaCumprod(t);
    }

    /** A timestep handed to an integer scheduler: must be a whole training timestep. */
    protected int trainingTimestep(double t) {
        if (t != Math.rint(t) || t < 0 || t >= schedule.trainSteps()) {
            throw new IllegalArgumentException("timestep " + t + " is not a training timestep in [0, "
                    + (schedule.trainSteps() - 1) + "] (scheduler " + source + ")");
        }
        return (int) t;
    }

    /**
     * One coefficient per batch row as an array shaped (rows, 1, 1, ...) that broadcasts over
     * {@code like}; one coefficient applies to every row.
     */
    protected static NDArray perRow(NDArray like, float[] coefficients) {
        Shape shape = like.getShape();
        if (coefficients.length != 1 && (shape.dimension() == 0 || coefficients.length != shape.get(0))) {
            throw new IllegalArgumentException(coefficients.length + " timesteps for a batch of shape " + shape
                    + ": need one per row or one for all");
        }
        long[] dims = new long[Math.max(1, shape.dimension())];
        Arrays.fill(dims, 1);
        dims[0] = coefficients.length;
        return like.getManager().create(coefficients, new Shape(dims));
    }

    protected static float sqrt(float value) {
        return (float) Math.sqrt(value);
    }

    /** Records the step count of a new run; at most the training steps. */
    protected void setInferenceSteps(int steps) {
        if (steps < 1 || steps > schedule.trainSteps()) {
            throw new IllegalArgumentException("inference steps must be in [1, " + schedule.trainSteps()
                    + "], got " + steps + " (scheduler " + source + ")");
        }
        inferenceSteps = steps;
    }

    /** The step count of the current run; stepping before {@link #setTimesteps} is an error. */
    protected int inferenceSteps() {
        if (inferenceSteps == 0) {
            throw new IllegalStateException("setTimesteps(...) must be called before step() (scheduler " + source + ")");
        }
        return inferenceSteps;
    }
}
