package dev.tuneforge.common.events;

import java.util.List;
import java.util.UUID;

/** Sample images rendered at {@code step} (validation images while training, or a generate job's output). */
public record JobSamples(UUID jobId, int attempt, int step, List<String> locations) implements JobEventData {
    public JobSamples {
        locations = List.copyOf(locations);
    }
}
