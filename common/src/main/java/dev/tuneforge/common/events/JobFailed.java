package dev.tuneforge.common.events;

import java.util.UUID;

/**
 * Terminal for the attempt. {@code retryable} is true for infrastructure faults (S3 timeout, broker
 * down) and false for bad input (unreadable image, unknown model, NaN loss), which is never retried.
 */
public record JobFailed(UUID jobId, int attempt, String reason, boolean retryable) implements JobEventData {
}
