package dev.tuneforge.worker.engine.training;

import java.nio.file.Path;

/**
 * How a run ended.
 *
 * @param steps optimizer steps done in total (including those before a resume)
 * @param resumedFrom the checkpoint step the run continued from, or 0
 * @param stopped whether it stopped early because the listener asked
 * @param finalDir the folder with the final weights, or null when stopped early
 * @param averageLoss the moving-average loss at the end
 */
public record TrainingResult(int steps, int resumedFrom, boolean stopped, Path finalDir, double averageLoss) {
}
