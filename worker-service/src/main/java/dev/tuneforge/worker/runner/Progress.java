package dev.tuneforge.worker.runner;

/**
 * A progress report of a running job; every field may be null where a job kind has no such figure.
 * Published as {@code job.progress}, which also serves as the job's heartbeat.
 */
public record Progress(
        Integer step,
        Integer totalSteps,
        Double loss,
        Double lossAverage,
        Double learningRate,
        Double imagesPerSecond,
        Double etaSeconds,
        String message) {

    /** Step {@code step} of {@code totalSteps} done, with a short note for people. */
    public static Progress steps(int step, int totalSteps, String message) {
        return new Progress(step, totalSteps, null, null, null, null, null, message);
    }
}
