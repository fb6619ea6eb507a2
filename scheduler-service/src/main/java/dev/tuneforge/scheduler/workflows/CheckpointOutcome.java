package dev.tuneforge.scheduler.workflows;

import java.util.Map;
import java.util.Objects;

/**
 * What the evaluation of one checkpoint produced: its metrics (keys as the worker's evaluate job publishes
 * them in {@code job.evaluated}, see {@link Metric}) or, when the evaluate job failed, the reason.
 *
 * @param step    the train job's checkpoint step
 * @param metrics the evaluation's numbers; empty when the evaluation failed
 * @param failure why the evaluation failed, or null when it succeeded
 */
public record CheckpointOutcome(int step, Map<String, Double> metrics, String failure) {

    public CheckpointOutcome {
        metrics = Map.copyOf(Objects.requireNonNull(metrics, "metrics"));
    }

    public static CheckpointOutcome evaluated(int step, Map<String, Double> metrics) {
        return new CheckpointOutcome(step, metrics, null);
    }

    public static CheckpointOutcome failed(int step, String reason) {
        return new CheckpointOutcome(step, Map.of(), Objects.requireNonNull(reason, "reason"));
    }

    public boolean evaluationFailed() {
        return failure != null;
    }

    /** The metric's value, or null when the evaluation could not compute it. */
    public Double metric(Metric metric) {
        return metrics.get(metric.key());
    }
}
