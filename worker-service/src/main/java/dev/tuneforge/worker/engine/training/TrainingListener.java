package dev.tuneforge.worker.engine.training;

import java.nio.file.Path;
import java.util.List;

/**
 * Receives a training run's progress (the engine knows no messaging: the job runner turns these
 * into events). Called on the training thread; keep it quick.
 */
public interface TrainingListener {

    /** After every optimizer step. */
    default void onStep(StepProgress progress) {
    }

    /** After a checkpoint folder is complete (its manifest written). */
    default void onCheckpoint(int step, Path dir) {
    }

    /** After the validation images of {@code step} are rendered and written. */
    default void onValidation(int step, List<String> prompts, List<Path> images) {
    }

    /** Something worth telling the user that does not stop training (an upscaled image, a skipped file). */
    default void onWarning(String message) {
    }

    /** Polled after every step: true stops the run after writing a checkpoint (e.g. cancel or shutdown). */
    default boolean stopRequested() {
        return false;
    }
}
