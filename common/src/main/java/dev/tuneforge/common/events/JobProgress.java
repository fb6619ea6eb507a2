package dev.tuneforge.common.events;

import java.util.UUID;

/**
 * Progress, published at least every 30 s while a job runs: it doubles as the heartbeat the
 * scheduler's sweeper watches. Numeric fields are null where a job kind has no such figure.
 */
public record JobProgress(
        UUID jobId,
        int attempt,
        String workerId,
        Integer step,
        Integer totalSteps,
        Double loss,
        Double lossAverage,
        Double learningRate,
        Double imagesPerSecond,
        Double etaSeconds,
        String message) implements JobEventData {

    public static JobProgress heartbeat(UUID jobId, int attempt, String workerId, String message) {
        return new JobProgress(jobId, attempt, workerId, null, null, null, null, null, null, null, message);
    }
}
