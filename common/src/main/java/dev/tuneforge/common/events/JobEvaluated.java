package dev.tuneforge.common.events;

import java.util.Map;
import java.util.UUID;

/** Scores of one evaluated checkpoint (face distance, CLIP score, faceless count, ...) and where the report is. */
public record JobEvaluated(UUID jobId, int attempt, Integer step, Map<String, Double> metrics, String reportLocation)
        implements JobEventData {
    public JobEvaluated {
        metrics = Map.copyOf(metrics);
    }
}
