package dev.tuneforge.worker.runner;

import dev.tuneforge.common.jobs.JobKind;

/**
 * Runs the jobs of one kind: the extension point the engine's train, generate and evaluate
 * handlers implement (as CDI beans; at most one per kind in a worker build).
 *
 * <p>The runner calls {@link #run} on a thread of its own, one job at a time, and owns everything
 * around it: the Kafka lock, heartbeats, the started and terminal events and the acknowledgement.
 * A handler must be idempotent: a job can be run again after a worker died, released it or lost
 * its lock, so it resumes from its last checkpoint ({@link JobContext#delivery()} tells a repeat)
 * and overwrites what an earlier delivery left half written.
 *
 * <p>How a run ends decides what the platform sees:
 * <ul>
 *   <li>{@link JobResult.Succeeded}: {@code job.succeeded} with the artifacts;</li>
 *   <li>{@link JobResult.Stopped} after {@link JobContext#stopRequested()} turned true: {@code job.cancelled}
 *       for a cancel request, or the record is released for another worker when this one shuts down;</li>
 *   <li>{@link BadInputException}: {@code job.failed} with {@code retryable=false};</li>
 *   <li>{@link RetryableJobException}: the record is released and delivered again (an infrastructure fault);</li>
 *   <li>any other exception: {@code job.failed} with {@code retryable=true} and the exception as reason.</li>
 * </ul>
 */
public interface JobHandler {
    JobKind kind();

    JobResult run(JobContext context) throws Exception;
}
