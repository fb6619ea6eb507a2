package dev.tuneforge.worker.engine.training;

import java.time.Duration;

/**
 * What one optimizer step reports.
 *
 * @param step steps done (1-based)
 * @param totalSteps steps of the whole run
 * @param loss this step's loss (mean over its accumulated micro-batches)
 * @param averageLoss the moving average over the last steps
 * @param unetLr the UNet's learning rate used by this step
 * @param textEncoderLr the text encoder's learning rate used by this step (NaN when it is frozen)
 * @param gradNorm the total gradient norm before clipping
 * @param imagesPerSecond training images processed per second, recent average
 * @param eta estimated time to the last step
 */
public record StepProgress(int step, int totalSteps, double loss, double averageLoss, double unetLr,
                           double textEncoderLr, double gradNorm, double imagesPerSecond, Duration eta) {
}
