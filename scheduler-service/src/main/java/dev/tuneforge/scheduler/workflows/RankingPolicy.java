package dev.tuneforge.scheduler.workflows;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How checkpoints are ranked: one objective metric, or a weighted mix, and the constraints a checkpoint
 * must meet to be eligible at all.
 *
 * @param objective   the metric to optimise in its own direction; null for a weighted mix
 * @param weights     for a weighted mix: metric → positive weight; empty otherwise
 * @param maxFaceless at most this many faceless images, or null for no limit
 */
public record RankingPolicy(Metric objective, Map<Metric, Double> weights, Integer maxFaceless) {

    public RankingPolicy {
        weights = Map.copyOf(Objects.requireNonNull(weights, "weights"));
        if ((objective == null) == weights.isEmpty()) {
            throw new IllegalArgumentException("a ranking policy has either one objective or weights, not "
                    + (objective == null ? "neither" : "both"));
        }
        weights.forEach((metric, weight) -> {
            if (!(weight > 0) || weight.isInfinite()) {
                throw new IllegalArgumentException("weight of '" + metric.policyName() + "' must be a positive number, got " + weight);
            }
        });
        if (maxFaceless != null && maxFaceless < 0) {
            throw new IllegalArgumentException("maxFaceless must be >= 0, got " + maxFaceless);
        }
    }

    /** The default: lowest face distance, no constraint. */
    public static RankingPolicy defaults() {
        return objective(Metric.FACE_DISTANCE, null);
    }

    public static RankingPolicy objective(Metric objective, Integer maxFaceless) {
        return new RankingPolicy(Objects.requireNonNull(objective, "objective"), Map.of(), maxFaceless);
    }

    public static RankingPolicy weighted(Map<Metric, Double> weights, Integer maxFaceless) {
        return new RankingPolicy(null, weights, maxFaceless);
    }

    /** The metrics a checkpoint needs for a score. */
    public Set<Metric> scoredMetrics() {
        return objective != null ? Set.of(objective) : weights.keySet();
    }
}
