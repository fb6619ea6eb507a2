package dev.tuneforge.worker.runner;

import dev.tuneforge.common.events.JobCommand;
import java.util.List;
import java.util.Map;

/**
 * What a running {@link JobHandler} gets from the runner. Events are published on the job-events
 * topic, keyed by the job id, in the order they are reported.
 */
public interface JobContext {
    /** The command being run (job id, attempt, tenant, validated spec). */
    JobCommand command();

    /** This worker's id. */
    String workerId();

    /**
     * Which delivery of the command this is: 1 the first time; more when an earlier delivery's
     * worker died, lost its lock or released it after an infrastructure fault, so the handler should
     * resume from its last checkpoint.
     */
    int delivery();

    /**
     * True once the job should stop: it was cancelled, or the worker shuts down (or lost the job).
     * Check it at every step; when true, write a checkpoint if useful and return
     * {@link JobResult#stopped()}.
     */
    boolean stopRequested();

    /** Reports progress; best effort (a failed publish is logged, not thrown): it is also the heartbeat. */
    void progress(Progress progress);

    /**
     * Announces a complete checkpoint (its files written) at {@code location}. Waits for the broker's
     * ack; throws {@link RetryableJobException} if Kafka does not take it.
     */
    void checkpoint(int step, String location);

    /** Announces sample images rendered at {@code step}. Waits for the broker's ack like {@link #checkpoint}. */
    void samples(int step, List<String> locations);

    /** Announces the scores of an evaluated checkpoint. Waits for the broker's ack like {@link #checkpoint}. */
    void evaluated(Integer step, Map<String, Double> metrics, String reportLocation);
}
