package dev.tuneforge.common.events;

import java.util.UUID;

/** Terminal: the job stopped because somebody cancelled it. */
public record JobCancelled(UUID jobId, int attempt, String reason) implements JobEventData {
}
