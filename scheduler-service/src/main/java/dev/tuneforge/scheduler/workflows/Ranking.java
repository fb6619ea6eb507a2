package dev.tuneforge.scheduler.workflows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of ranking a workflow's checkpoints: the eligible ones best first, and every other one
 * with the reason it was left out. An empty {@link #eligible()} means no checkpoint may be picked.
 *
 * @param eligible       ranked checkpoints, best first
 * @param excluded       checkpoints left out, in step order
 * @param higherIsBetter the direction of {@link Ranked#score()}: true for CLIP score and weighted mixes
 */
public record Ranking(List<Ranked> eligible, List<Excluded> excluded, boolean higherIsBetter) {

    public Ranking {
        eligible = List.copyOf(eligible);
        excluded = List.copyOf(excluded);
    }

    /** Why a checkpoint was left out. */
    public enum Exclusion {
        /** its evaluate job failed */
        EVALUATION_FAILED,
        /** none of its images shows a face, so there is no face distance */
        ALL_FACELESS,
        /** the evaluation did not report a metric the policy needs */
        METRIC_MISSING,
        /** a policy constraint (e.g. {@code maxFaceless}) is violated */
        CONSTRAINT_VIOLATED
    }

    /** An eligible checkpoint: its 1-based rank, its score under the policy and the metrics it came from. */
    public record Ranked(int rank, int step, double score, Map<String, Double> metrics) {
        public Ranked {
            metrics = Map.copyOf(metrics);
        }
    }

    /** A checkpoint left out, and why in words. */
    public record Excluded(int step, Exclusion reason, String detail) {
    }

    public Optional<Ranked> best() {
        return eligible.stream().findFirst();
    }

    /** Why there is no best checkpoint, naming each checkpoint's exclusion; empty when there is one. */
    public Optional<String> noneEligibleReason() {
        if (!eligible.isEmpty()) {
            return Optional.empty();
        }
        if (excluded.isEmpty()) {
            return Optional.of("no checkpoint was evaluated");
        }
        return Optional.of("no checkpoint is eligible: " + excluded.stream()
                .map(e -> "step " + e.step() + " " + e.detail())
                .collect(Collectors.joining("; ")));
    }
}
