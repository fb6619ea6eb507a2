package dev.tuneforge.common.events;

import java.util.Map;
import java.util.UUID;

/** Terminal: the job finished; {@code artifacts} maps an artifact name to its object-store location. */
public record JobSucceeded(UUID jobId, int attempt, Map<String, String> artifacts) implements JobEventData {
    public JobSucceeded {
        artifacts = Map.copyOf(artifacts);
    }
}
