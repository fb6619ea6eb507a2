package dev.tuneforge.scheduler.workflows;

import dev.tuneforge.scheduler.workflows.Ranking.Excluded;
import dev.tuneforge.scheduler.workflows.Ranking.Exclusion;
import dev.tuneforge.scheduler.workflows.Ranking.Ranked;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ranks a workflow's evaluated checkpoints by a {@link RankingPolicy}. Pure: no database, no clock.
 *
 * <p>Eligibility, checked in this order (the first failing check is the reason given): the evaluation
 * succeeded; the {@code maxFaceless} constraint holds (the {@code faceless} count must then be reported);
 * when the policy scores face distance, at least one image shows a face (the worker reports no face
 * distance otherwise); every scored metric is reported as a finite number.
 *
 * <p>Scores. One objective: the metric's own value, ranked in its direction (face distance lower is better,
 * CLIP score higher). Weighted: each weighted metric is min-max normalised over the <em>eligible</em> set to
 * a goodness in [0, 1] where 1 is the best value in that set, whatever the metric's direction
 * ({@code (max - v) / (max - min)} for lower-is-better, {@code (v - min) / (max - min)} otherwise; a metric
 * on which all eligible checkpoints agree gives every one 1), and the score is the weighted mean of the
 * goodnesses, higher is better. Normalising over the eligible set keeps an excluded outlier from squashing
 * the differences that matter.
 *
 * <p>Ties (equal scores) go to the checkpoint with fewer faceless images, then to the earlier step: the
 * result never depends on input order, and the earlier checkpoint is the less over-fitted one.
 */
public final class CheckpointRanker {

    private CheckpointRanker() {
    }

    public static Ranking rank(List<CheckpointOutcome> outcomes, RankingPolicy policy) {
        List<CheckpointOutcome> candidates = new ArrayList<>();
        List<Excluded> excluded = new ArrayList<>();
        outcomes.stream().sorted(Comparator.comparingInt(CheckpointOutcome::step)).forEach(outcome ->
                exclusion(outcome, policy).ifPresentOrElse(excluded::add, () -> candidates.add(outcome)));
        boolean higherIsBetter = policy.objective() == null || policy.objective().higherIsBetter();
        Map<Integer, Double> scores = scores(candidates, policy);
        Comparator<CheckpointOutcome> byScore = Comparator.comparingDouble(o -> scores.get(o.step()));
        List<CheckpointOutcome> ordered = candidates.stream()
                .sorted((higherIsBetter ? byScore.reversed() : byScore)
                        .thenComparingDouble(CheckpointRanker::facelessOrWorst)
                        .thenComparingInt(CheckpointOutcome::step))
                .toList();
        List<Ranked> ranked = new ArrayList<>();
        for (CheckpointOutcome outcome : ordered) {
            ranked.add(new Ranked(ranked.size() + 1, outcome.step(), scores.get(outcome.step()), outcome.metrics()));
        }
        return new Ranking(ranked, excluded, higherIsBetter);
    }

    private static Optional<Excluded> exclusion(CheckpointOutcome outcome, RankingPolicy policy) {
        int step = outcome.step();
        if (outcome.evaluationFailed()) {
            return Optional.of(new Excluded(step, Exclusion.EVALUATION_FAILED, "evaluation failed: " + outcome.failure()));
        }
        if (policy.maxFaceless() != null) {
            Double faceless = finite(outcome.metric(Metric.FACELESS));
            if (faceless == null) {
                return Optional.of(missing(step, Metric.FACELESS));
            }
            if (faceless > policy.maxFaceless()) {
                return Optional.of(new Excluded(step, Exclusion.CONSTRAINT_VIOLATED, String.format(
                        "%d faceless images exceed maxFaceless %d", Math.round(faceless), policy.maxFaceless())));
            }
        }
        for (Metric metric : policy.scoredMetrics()) {
            if (finite(outcome.metric(metric)) != null) {
                continue;
            }
            if (metric == Metric.FACE_DISTANCE && allFaceless(outcome)) {
                return Optional.of(new Excluded(step, Exclusion.ALL_FACELESS,
                        "has no face distance: all its images are faceless"));
            }
            return Optional.of(missing(step, metric));
        }
        return Optional.empty();
    }

    private static Excluded missing(int step, Metric metric) {
        return new Excluded(step, Exclusion.METRIC_MISSING, "evaluation reported no '" + metric.key() + "'");
    }

    private static boolean allFaceless(CheckpointOutcome outcome) {
        Double faceless = outcome.metric(Metric.FACELESS);
        Double images = outcome.metric(Metric.IMAGES);
        return faceless != null && images != null && faceless >= images;
    }

    private static Map<Integer, Double> scores(List<CheckpointOutcome> eligible, RankingPolicy policy) {
        Map<Integer, Double> scores = new HashMap<>();
        if (policy.objective() != null) {
            eligible.forEach(o -> scores.put(o.step(), o.metric(policy.objective())));
            return scores;
        }
        Map<Metric, double[]> ranges = new EnumMap<>(Metric.class);
        policy.weights().keySet().forEach(metric -> ranges.put(metric, new double[] {
                eligible.stream().mapToDouble(o -> o.metric(metric)).min().orElse(0),
                eligible.stream().mapToDouble(o -> o.metric(metric)).max().orElse(0)}));
        double totalWeight = policy.weights().values().stream().mapToDouble(Double::doubleValue).sum();
        for (CheckpointOutcome outcome : eligible) {
            double sum = 0;
            for (Map.Entry<Metric, Double> weight : policy.weights().entrySet()) {
                sum += weight.getValue() * goodness(weight.getKey(), outcome.metric(weight.getKey()), ranges.get(weight.getKey()));
            }
            scores.put(outcome.step(), sum / totalWeight);
        }
        return scores;
    }

    /** The value's place between the eligible set's worst (0) and best (1) value of the metric. */
    private static double goodness(Metric metric, double value, double[] range) {
        double span = range[1] - range[0];
        if (span == 0) {
            return 1.0;
        }
        return metric.higherIsBetter() ? (value - range[0]) / span : (range[1] - value) / span;
    }

    private static double facelessOrWorst(CheckpointOutcome outcome) {
        Double faceless = finite(outcome.metric(Metric.FACELESS));
        return faceless == null ? Double.MAX_VALUE : faceless;
    }

    private static Double finite(Double value) {
        return value == null || !Double.isFinite(value) ? null : value;
    }
}
