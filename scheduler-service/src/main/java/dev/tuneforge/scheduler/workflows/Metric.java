package dev.tuneforge.scheduler.workflows;

import dev.tuneforge.common.workflows.Objective;

/**
 * The evaluation metrics a selection policy can use, under the keys the worker's evaluate job publishes
 * in {@code job.evaluated} (and the scheduler stores in {@code checkpoints.metrics}). The worker leaves
 * {@code faceDistance} out when no generated image shows a face.
 */
public enum Metric {
    FACE_DISTANCE(Objective.FACE_DISTANCE),
    CLIP_SCORE(Objective.CLIP_SCORE),
    CLIP_SCORE_ALL_IMAGES(Objective.CLIP_SCORE_ALL_IMAGES),
    FACELESS("faceless", "faceless", false),
    IMAGES("images", "images", true);

    private final String key;
    private final String policyName;
    private final boolean higherIsBetter;

    /** A metric that is also a selection objective: key, name and direction are the objective's own. */
    Metric(Objective objective) {
        this(objective.metric().orElseThrow(), objective.wireName(), objective.higherIsBetter());
    }

    Metric(String key, String policyName, boolean higherIsBetter) {
        this.key = key;
        this.policyName = policyName;
        this.higherIsBetter = higherIsBetter;
    }

    /** The key in {@code job.evaluated}'s metrics map. */
    public String key() {
        return key;
    }

    /** The name a selection policy uses (objective or weight key). */
    public String policyName() {
        return policyName;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }
}
