package dev.tuneforge.scheduler.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tuneforge.scheduler.workflows.Ranking.Excluded;
import dev.tuneforge.scheduler.workflows.Ranking.Exclusion;
import dev.tuneforge.scheduler.workflows.Ranking.Ranked;
import dev.tuneforge.common.workflows.SelectionConstraints;
import dev.tuneforge.common.workflows.SelectionPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointRankerTest {

    /** An evaluation of 4 images with the given face distance (null: absent), CLIP score (null: absent) and faceless count. */
    private static CheckpointOutcome eval(int step, Double faceDistance, Double clipScore, int faceless) {
        Map<String, Double> metrics = new HashMap<>();
        if (faceDistance != null) {
            metrics.put("faceDistance", faceDistance);
        }
        if (clipScore != null) {
            metrics.put("clipScore", clipScore);
        }
        metrics.put("faceless", (double) faceless);
        metrics.put("images", 4.0);
        return CheckpointOutcome.evaluated(step, metrics);
    }

    private static CheckpointOutcome faceless(int step, double clipScoreAllImages) {
        return CheckpointOutcome.evaluated(step, Map.of("clipScoreAllImages", clipScoreAllImages, "faceless", 4.0, "images", 4.0));
    }

    private static List<Integer> order(Ranking ranking) {
        return ranking.eligible().stream().map(Ranked::step).toList();
    }

    @Test
    void faceDistanceIsTheDefaultAndLowerIsBetter() {
        Ranking ranking = CheckpointRanker.rank(List.of(
                eval(10, 0.60, 0.20, 0), eval(20, 0.40, 0.25, 1), eval(30, 0.50, 0.30, 0)), RankingPolicy.defaults());

        assertThat(order(ranking)).containsExactly(20, 30, 10);
        assertThat(ranking.best()).get().extracting(Ranked::score).isEqualTo(0.40);
        assertThat(ranking.eligible()).extracting(Ranked::rank).containsExactly(1, 2, 3);
        assertThat(ranking.higherIsBetter()).isFalse();
        assertThat(ranking.excluded()).isEmpty();
        assertThat(ranking.noneEligibleReason()).isEmpty();
    }

    @Test
    void clipScoreHigherIsBetter() {
        Ranking ranking = CheckpointRanker.rank(List.of(
                eval(10, 0.60, 0.20, 0), eval(20, 0.40, 0.25, 1), eval(30, 0.50, 0.30, 0)),
                RankingPolicy.objective(Metric.CLIP_SCORE, null));

        assertThat(order(ranking)).containsExactly(30, 20, 10);
        assertThat(ranking.best()).get().extracting(Ranked::score).isEqualTo(0.30);
        assertThat(ranking.higherIsBetter()).isTrue();
    }

    @Test
    void weightedMixNormalisesEachMetricOverTheEligibleSetWithItsDirection() {
        // face distance: 10 is worst (0.6 → 0), 20 best (0.4 → 1), 30 half (0.5 → 0.5)
        // clip score:    10 is worst (0.2 → 0), 20 half (0.25 → 0.5), 30 best (0.3 → 1)
        Ranking ranking = CheckpointRanker.rank(List.of(
                eval(10, 0.60, 0.20, 0), eval(20, 0.40, 0.25, 0), eval(30, 0.50, 0.30, 0)),
                RankingPolicy.weighted(Map.of(Metric.FACE_DISTANCE, 3.0, Metric.CLIP_SCORE, 1.0), null));

        assertThat(order(ranking)).containsExactly(20, 30, 10);
        assertThat(ranking.eligible().get(0).score()).isCloseTo((3 * 1.0 + 1 * 0.5) / 4, within(1e-12));
        assertThat(ranking.eligible().get(1).score()).isCloseTo((3 * 0.5 + 1 * 1.0) / 4, within(1e-12));
        assertThat(ranking.eligible().get(2).score()).isCloseTo(0.0, within(1e-12));
        assertThat(ranking.higherIsBetter()).isTrue();

        Ranking clipHeavy = CheckpointRanker.rank(List.of(
                eval(10, 0.60, 0.20, 0), eval(20, 0.40, 0.25, 0), eval(30, 0.50, 0.30, 0)),
                RankingPolicy.weighted(Map.of(Metric.FACE_DISTANCE, 1.0, Metric.CLIP_SCORE, 3.0), null));
        assertThat(order(clipHeavy)).containsExactly(30, 20, 10);
    }

    @Test
    void weightedMixOfOneEligibleCheckpointOrOfEqualValuesScoresOne() {
        Ranking ranking = CheckpointRanker.rank(List.of(eval(10, 0.5, 0.2, 0), eval(20, 0.5, null, 0)),
                RankingPolicy.weighted(Map.of(Metric.FACE_DISTANCE, 1.0, Metric.CLIP_SCORE, 1.0), null));

        assertThat(ranking.eligible()).singleElement().satisfies(r -> {
            assertThat(r.step()).isEqualTo(10);
            assertThat(r.score()).isEqualTo(1.0);
        });
        assertThat(ranking.excluded()).containsExactly(
                new Excluded(20, Exclusion.METRIC_MISSING, "evaluation reported no 'clipScore'"));
    }

    @Test
    void tiesGoToFewerFacelessImagesThenToTheEarlierStep() {
        Ranking ranking = CheckpointRanker.rank(List.of(
                eval(40, 0.5, null, 0), eval(30, 0.5, null, 1), eval(10, 0.5, null, 1), eval(20, 0.7, null, 0)),
                RankingPolicy.defaults());

        assertThat(order(ranking)).containsExactly(40, 10, 30, 20);
    }

    @Test
    void rankingDoesNotDependOnInputOrder() {
        Ranking forward = CheckpointRanker.rank(
                List.of(eval(10, 0.5, null, 0), eval(20, 0.5, null, 0), eval(30, 0.4, null, 2)), RankingPolicy.defaults());
        Ranking backward = CheckpointRanker.rank(
                List.of(eval(30, 0.4, null, 2), eval(20, 0.5, null, 0), eval(10, 0.5, null, 0)), RankingPolicy.defaults());

        assertThat(order(forward)).containsExactly(30, 10, 20);
        assertThat(backward).isEqualTo(forward);
    }

    @Test
    void failedEvaluationsAndMissingMetricsAreLeftOutWithTheReason() {
        Ranking ranking = CheckpointRanker.rank(List.of(
                eval(30, 0.3, null, 0),
                CheckpointOutcome.failed(10, "CUDA out of memory"),
                eval(20, null, 0.3, 0),
                eval(40, Double.NaN, null, 0)),
                RankingPolicy.defaults());

        assertThat(order(ranking)).containsExactly(30);
        assertThat(ranking.excluded()).containsExactly(
                new Excluded(10, Exclusion.EVALUATION_FAILED, "evaluation failed: CUDA out of memory"),
                new Excluded(20, Exclusion.METRIC_MISSING, "evaluation reported no 'faceDistance'"),
                new Excluded(40, Exclusion.METRIC_MISSING, "evaluation reported no 'faceDistance'"));
    }

    @Test
    void allFacelessCheckpointHasNoFaceDistanceButStillAClipScore() {
        List<CheckpointOutcome> outcomes = List.of(eval(10, null, 0.31, 4), eval(20, 0.45, 0.22, 0));

        Ranking byFace = CheckpointRanker.rank(outcomes, RankingPolicy.defaults());
        assertThat(order(byFace)).containsExactly(20);
        assertThat(byFace.excluded()).containsExactly(
                new Excluded(10, Exclusion.ALL_FACELESS, "has no face distance: all its images are faceless"));

        Ranking byClip = CheckpointRanker.rank(outcomes, RankingPolicy.objective(Metric.CLIP_SCORE, null));
        assertThat(order(byClip)).containsExactly(10, 20);
    }

    @Test
    void everyCheckpointFacelessMeansNoBestAndSaysWhy() {
        Ranking ranking = CheckpointRanker.rank(List.of(eval(10, null, 0.3, 4), eval(20, null, 0.2, 4)),
                RankingPolicy.defaults());

        assertThat(ranking.best()).isEmpty();
        assertThat(ranking.noneEligibleReason()).contains("no checkpoint is eligible: "
                + "step 10 has no face distance: all its images are faceless; "
                + "step 20 has no face distance: all its images are faceless");
    }

    @Test
    void maxFacelessConstraintExcludesCheckpointsOverTheLimit() {
        Ranking ranking = CheckpointRanker.rank(List.of(
                eval(10, 0.2, null, 3), eval(20, 0.4, null, 2), eval(30, 0.3, null, 1)),
                RankingPolicy.objective(Metric.FACE_DISTANCE, 2));

        assertThat(order(ranking)).containsExactly(30, 20);
        assertThat(ranking.excluded()).containsExactly(
                new Excluded(10, Exclusion.CONSTRAINT_VIOLATED, "3 faceless images exceed maxFaceless 2"));
    }

    @Test
    void maxFacelessNeedsTheFacelessCount() {
        CheckpointOutcome noCount = CheckpointOutcome.evaluated(10, Map.of("faceDistance", 0.3));

        Ranking ranking = CheckpointRanker.rank(List.of(noCount), RankingPolicy.objective(Metric.FACE_DISTANCE, 0));

        assertThat(ranking.excluded()).containsExactly(
                new Excluded(10, Exclusion.METRIC_MISSING, "evaluation reported no 'faceless'"));
        assertThat(ranking.noneEligibleReason()).contains("no checkpoint is eligible: step 10 evaluation reported no 'faceless'");
    }

    @Test
    void noCheckpointAtAllIsNoBest() {
        Ranking ranking = CheckpointRanker.rank(List.of(), RankingPolicy.defaults());

        assertThat(ranking.best()).isEmpty();
        assertThat(ranking.noneEligibleReason()).contains("no checkpoint was evaluated");
    }

    @Test
    void policyRejectsWhatMakesNoSense() {
        assertThatThrownBy(() -> RankingPolicy.weighted(Map.of(), null))
                .hasMessageContaining("either one objective or weights, not neither");
        assertThatThrownBy(() -> new RankingPolicy(Metric.CLIP_SCORE, Map.of(Metric.CLIP_SCORE, 1.0), null))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> RankingPolicy.weighted(Map.of(Metric.CLIP_SCORE, 0.0), null))
                .hasMessageContaining("weight of 'clip_score' must be a positive number, got 0.0");
        assertThatThrownBy(() -> RankingPolicy.objective(Metric.FACE_DISTANCE, -1))
                .hasMessageContaining("maxFaceless must be >= 0, got -1");
    }

    @Test
    void clipScoreOverAllImagesRanksCheckpointsWithoutAnyFaceHigherIsBetter() {
        Ranking ranking = CheckpointRanker.rank(List.of(faceless(10, 21.5), faceless(20, 24.0), faceless(30, 19.0)),
                RankingPolicy.of(new SelectionPolicy("clip_score_all_images", null, null)));
        assertThat(order(ranking)).containsExactly(20, 10, 30);
        assertThat(ranking.best()).map(Ranked::step).contains(20);
        assertThat(ranking.excluded()).isEmpty();
    }

    @Test
    void aWorkflowsSelectionPolicyBecomesTheRankingPolicy() {
        assertThat(RankingPolicy.of(SelectionPolicy.defaults())).isEqualTo(RankingPolicy.defaults());
        assertThat(RankingPolicy.of(new SelectionPolicy("clip_score", null, new SelectionConstraints(3))))
                .isEqualTo(RankingPolicy.objective(Metric.CLIP_SCORE, 3));
        // A zero weight adds nothing to a score, so the metric it names is not required either.
        assertThat(RankingPolicy.of(new SelectionPolicy("weighted", Map.of("face_distance", 2.0, "clip_score", 0.0), null)))
                .isEqualTo(RankingPolicy.weighted(Map.of(Metric.FACE_DISTANCE, 2.0), null));
    }
}
