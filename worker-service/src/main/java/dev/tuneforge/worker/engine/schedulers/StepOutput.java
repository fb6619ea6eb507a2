package dev.tuneforge.worker.engine.schedulers;

import ai.djl.ndarray.NDArray;
import java.util.Optional;

/**
 * The result of one scheduler step.
 *
 * @param prevSample the sample at the next (less noisy) timestep: the next loop input
 * @param predOriginalSample the scheduler's estimate of the clean sample x0, or null where the
 *     scheduler makes none (PNDM); DPM-Solver++ returns its converted model output (data prediction)
 */
public record StepOutput(NDArray prevSample, NDArray predOriginalSample) {

    public Optional<NDArray> predOriginal() {
        return Optional.ofNullable(predOriginalSample);
    }
}
