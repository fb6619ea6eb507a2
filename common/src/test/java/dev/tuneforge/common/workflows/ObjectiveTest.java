package dev.tuneforge.common.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ObjectiveTest {

    @Test
    void clipScoreOverAllImagesReadsItsOwnMetricAndIsHigherIsBetter() {
        Objective objective = Objective.find("clip_score_all_images").orElseThrow();
        assertThat(objective).isEqualTo(Objective.CLIP_SCORE_ALL_IMAGES);
        assertThat(objective.metric()).contains("clipScoreAllImages");
        assertThat(objective.higherIsBetter()).isTrue();
    }

    @Test
    void singleObjectivesLeaveWeightedOut() {
        assertThat(Objective.singleWireNames()).isEqualTo("face_distance, clip_score, clip_score_all_images");
        assertThat(Objective.wireNames()).endsWith(", weighted");
    }
}
