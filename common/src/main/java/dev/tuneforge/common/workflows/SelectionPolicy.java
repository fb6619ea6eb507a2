package dev.tuneforge.common.workflows;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a workflow ranks its checkpoints. {@code objective} is a wire name of {@link Objective}
 * (kept as text so an unknown one is reported by the validator with its field, not by Jackson);
 * {@code weights} maps single objectives to their weight and is used by {@code weighted} only.
 */
public record SelectionPolicy(String objective, Map<String, Double> weights, SelectionConstraints constraints) {
    public SelectionPolicy {
        objective = objective == null ? Objective.FACE_DISTANCE.wireName() : objective;
        // Copied keeping order and nulls: a null weight is reported by the validator, not an NPE here.
        weights = weights == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        constraints = constraints == null ? SelectionConstraints.none() : constraints;
    }

    /** Lowest face distance, no constraints. */
    public static SelectionPolicy defaults() {
        return new SelectionPolicy(null, null, null);
    }

    /** The objective; only valid after {@link WorkflowValidator} accepted the policy. */
    public Objective parsedObjective() {
        return Objective.find(objective).orElseThrow(
                () -> new IllegalStateException("unvalidated policy: unknown objective '" + objective + "'"));
    }
}
