package dev.tuneforge.common.events;

import java.util.UUID;

/** Published on {@code tuneforge.job-control}; every worker reads it and stops the job if it runs it. */
public record JobCancelRequested(UUID jobId, int attempt, String requestedBy) implements JobEventData {
}
