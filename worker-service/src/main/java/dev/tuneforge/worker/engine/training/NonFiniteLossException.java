package dev.tuneforge.worker.engine.training;

/**
 * The loss (or the gradient norm) became NaN or infinite: training stops, and the last good
 * checkpoint is kept as it is. Bad input or bad settings (e.g. a learning rate far too high), not
 * worth a retry.
 */
public final class NonFiniteLossException extends IllegalStateException {

    private final int step;
    private final int lastGoodCheckpoint;

    public NonFiniteLossException(String what, double value, int step, int lastGoodCheckpoint) {
        super(what + " is " + value + " at step " + step + "; training stopped"
                + (lastGoodCheckpoint > 0 ? ", the last good checkpoint is step " + lastGoodCheckpoint
                : " before any checkpoint was written"));
        this.step = step;
        this.lastGoodCheckpoint = lastGoodCheckpoint;
    }

    public int step() {
        return step;
    }

    /** The newest checkpoint written before the failure, or 0. */
    public int lastGoodCheckpoint() {
        return lastGoodCheckpoint;
    }
}
