package dev.tuneforge.common.events;

import java.util.UUID;

/** A complete checkpoint (its manifest written last) exists at {@code location}. */
public record JobCheckpoint(UUID jobId, int attempt, int step, String location) implements JobEventData {
}
