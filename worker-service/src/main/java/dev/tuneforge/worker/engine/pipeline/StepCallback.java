package dev.tuneforge.worker.engine.pipeline;

import ai.djl.ndarray.NDArray;

/** Told after every denoising step. */
@FunctionalInterface
public interface StepCallback {

    /**
     * @param step 0-based index of the step just done
     * @param totalSteps number of steps of this run (PNDM runs one more than asked)
     * @param timestep the timestep the step started from
     * @param latents the latents after the step; valid only during this call (duplicate to keep)
     */
    void onStep(int step, int totalSteps, float timestep, NDArray latents);
}
