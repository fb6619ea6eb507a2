package dev.tuneforge.scheduler.workflows;

import dev.tuneforge.common.workflows.Objective;
import dev.tuneforge.common.workflows.SelectionPolicy;
import java.util.Arrays;
import java.util.EnumMap;
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

    /**
     * The ranking a workflow's validated {@link SelectionPolicy} asks for; its weights are keyed by the
     * objectives' wire names ({@code face_distance}, {@code clip_score}).
     */
    public static RankingPolicy of(SelectionPolicy policy) {
        Integer maxFaceless = policy.constraints().maxFaceless();
        Objective objective = policy.parsedObjective();
        if (objective != Objective.WEIGHTED) {
            return objective(metricOf(objective.wireName()), maxFaceless);
        }
        Map<Metric, Double> weights = new EnumMap<>(Metric.class);
        // A zero weight (the validator allows it) adds nothing to a score, so its metric is not required either.
        policy.weights().forEach((name, weight) -> {
            if (weight > 0) {
                weights.put(metricOf(name), weight);
            }
        });
        return weighted(weights, maxFaceless);
    }

    private static Metric metricOf(String policyName) {
        return Arrays.stream(Metric.values()).filter(m -> m.policyName().equals(policyName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("policy names '" + policyName
                        + "', which is not a metric a checkpoint can be ranked by"));
    }

    /** The metrics a checkpoint needs for a score. */
    public Set<Metric> scoredMetrics() {
        return objective != null ? Set.of(objective) : weights.keySet();
    }
}
