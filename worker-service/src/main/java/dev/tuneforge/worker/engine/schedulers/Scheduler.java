package dev.tuneforge.worker.engine.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * A diffusion noise scheduler, as the text-to-image loop and training use it (a port of diffusers'
 * schedulers). One denoising run: {@link #setTimesteps}, start from noise times
 * {@link #initNoiseSigma()}, then for every {@code t} of {@link #timesteps()} feed the network
 * {@link #scaleModelInput} and advance with {@link #step}. Multistep schedulers keep the outputs of
 * earlier steps; {@link #setTimesteps} and {@link #reset} start a new run, {@link #close} frees them.
 *
 * <p>Timesteps are floats because some schedules (Euler with linspace spacing) are fractional; the
 * integer schedulers only ever hand out and accept whole numbers. Per-step arithmetic runs on the
 * given arrays in float32; results belong to the manager of {@code sample} (and {@code modelOutput}).
 */
public interface Scheduler extends AutoCloseable {

    /** Picks {@code steps} inference timesteps (fails when more than the training steps) and resets. */
    void setTimesteps(int steps);

    /** The timesteps of the current run, from noisiest to cleanest (the full training range before {@link #setTimesteps}). */
    float[] timesteps();

    /** The standard deviation of the starting noise: 1, or the largest sigma for the Euler schedulers. */
    float initNoiseSigma();

    /** What the network gets at timestep {@code t}: the sample itself, or scaled by 1/sqrt(sigma^2+1) (Euler). */
    NDArray scaleModelInput(NDArray sample, float t);

    /**
     * Advances {@code sample} from timestep {@code t} to the next one, given the network's output.
     * {@code noise} supplies the fresh N(0, 1) noise that DDPM, DDIM with eta > 0 and Euler ancestral
     * add; other schedulers never ask for it.
     */
    StepOutput step(NDArray modelOutput, float t, NDArray sample, NoiseSource noise);

    /**
     * The forward process: {@code original} noised to each row's timestep (one timestep per batch
     * row, or one for all). The sigma schedulers look each timestep up in the current schedule.
     */
    NDArray addNoise(NDArray original, NDArray noise, float[] timesteps);

    /** {@link #addNoise(NDArray, NDArray, float[])} for integer training timesteps. */
    default NDArray addNoise(NDArray original, NDArray noise, long[] timesteps) {
        float[] asFloats = new float[timesteps.length];
        for (int i = 0; i < timesteps.length; i++) {
            asFloats[i] = timesteps[i];
        }
        return addNoise(original, noise, asFloats);
    }

    /**
     * The v-prediction training target {@code sqrt(acp[t]) * noise - sqrt(1 - acp[t]) * sample} at
     * integer training timesteps (one per batch row, or one for all).
     */
    NDArray velocity(NDArray sample, NDArray noise, long[] timesteps);

    /** diffusers' {@code prediction_type}: "epsilon", "v_prediction" or "sample". */
    String predictionType();

    /** The training schedule's cumulative alpha products (float32 values), index = training timestep. */
    double[] alphasCumprod();

    int numTrainTimesteps();

    /** Forgets the outputs of earlier steps and the step position, keeping the timesteps. */
    void reset();

    /** Frees what the scheduler keeps between steps; it can still be used afterwards. */
    @Override
    void close();
}
