package dev.tuneforge.worker.runner;

import java.time.Duration;

/**
 * What the command loop needs to know about this worker.
 *
 * @param workerId this worker's id
 * @param consumerName how the DLQ names this consumer ({@code group/workerId})
 * @param maxDeliveries a delivery past this number is reported as failed instead of run
 * @param lockDuration the group's lock duration, used until the broker reports the actual one
 * @param heartbeatInterval longest silence of a running job on the events topic
 * @param pollTimeout how long an idle poll waits
 * @param shutdownTimeout how long a shutdown waits for the running job to stop
 * @param closeTimeout how long closing the consumer may take
 */
record LoopSettings(
        String workerId,
        String consumerName,
        int maxDeliveries,
        Duration lockDuration,
        Duration heartbeatInterval,
        Duration pollTimeout,
        Duration shutdownTimeout,
        Duration closeTimeout) {
}
