package dev.tuneforge.common.workflows;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What "best checkpoint" means. Each single objective reads one of the metrics an evaluate job
 * publishes (the keys of job.evaluated, stored in {@code checkpoints.metrics}); {@code weighted}
 * combines them with the policy's weights.
 */
public enum Objective {
    /** Mean face distance to the training images: lower is better (the default). */
    FACE_DISTANCE("faceDistance", false),
    /** CLIP text-image similarity over the generated images with a face (the homework's): higher is better. */
    CLIP_SCORE("clipScore", true),
    /**
     * CLIP text-image similarity over every generated image, face or not: higher is better. For subjects
     * without a face (styles, objects), where {@link #CLIP_SCORE} and {@link #FACE_DISTANCE} have no value,
     * and for the demo model, whose random weights never draw a face.
     */
    CLIP_SCORE_ALL_IMAGES("clipScoreAllImages", true),
    /** Sum of the single objectives, each with its weight. */
    WEIGHTED(null, true);

    private final String metric;
    private final boolean higherIsBetter;

    Objective(String metric, boolean higherIsBetter) {
        this.metric = metric;
        this.higherIsBetter = higherIsBetter;
    }

    /** The metric key this objective reads; empty for {@link #WEIGHTED}. */
    public Optional<String> metric() {
        return Optional.ofNullable(metric);
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Objective> find(String wireName) {
        return Arrays.stream(values()).filter(o -> o.wireName().equals(wireName)).findFirst();
    }

    public static String wireNames() {
        return Arrays.stream(values()).map(Objective::wireName).collect(Collectors.joining(", "));
    }

    /** The objectives that read one metric: the names {@code weighted}'s weights may use. */
    public static String singleWireNames() {
        return Arrays.stream(values()).filter(o -> o.metric != null).map(Objective::wireName)
                .collect(Collectors.joining(", "));
    }
}
