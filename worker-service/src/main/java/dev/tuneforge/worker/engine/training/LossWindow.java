package dev.tuneforge.worker.engine.training;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The mean of the last few step losses: the smoothed loss a progress display and a trend check
 * want. The mean is recomputed from the values each time, so a window restored from a checkpoint
 * gives exactly the averages of an uninterrupted run.
 */
public final class LossWindow {

    private final int size;
    private final Deque<Double> values = new ArrayDeque<>();

    public LossWindow(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("loss window must hold at least 1 value, got " + size);
        }
        this.size = size;
    }

    /** Adds a step's loss and returns the new moving average. */
    public double add(double loss) {
        values.addLast(loss);
        if (values.size() > size) {
            values.removeFirst();
        }
        return average();
    }

    /** The mean of the values in the window (NaN when empty). */
    public double average() {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The values in the window, oldest first (for a checkpoint). */
    public List<Double> values() {
        return List.copyOf(values);
    }

    /** Refills the window with a checkpoint's values. */
    public void restore(List<Double> saved) {
        values.clear();
        saved.forEach(this::add);
    }
}
