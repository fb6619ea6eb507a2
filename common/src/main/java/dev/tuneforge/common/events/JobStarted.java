package dev.tuneforge.common.events;

import java.util.UUID;

/** A worker took the job; {@code resumedFromStep} is set when it resumed from a checkpoint. */
public record JobStarted(UUID jobId, int attempt, String workerId, Integer resumedFromStep) implements JobEventData {
}
