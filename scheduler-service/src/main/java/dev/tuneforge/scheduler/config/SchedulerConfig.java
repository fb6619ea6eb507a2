package dev.tuneforge.scheduler.config;

import dev.tuneforge.common.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of the scheduler ({@code tuneforge.scheduler.*}). The job-events channel and its
 * consumer group are configured under {@code mp.messaging.incoming.job-events.*}.
 */
@ConfigMapping(prefix = "tuneforge.scheduler")
public interface SchedulerConfig {

    /** CloudEvents {@code source} and audit-log {@code source} of everything the scheduler writes itself. */
    @WithDefault("tuneforge/scheduler")
    String source();

    Heartbeat heartbeat();

    Retry retry();

    CommandTopics commandTopics();

    Retention retention();

    Schedules schedules();

    Workflow workflow();

    /** Cron schedules of workflows (table {@code schedules}, written by the API). */
    interface Schedules {
        /**
         * How often Quartz's store is made to match the table: a schedule created, edited, disabled or deleted
         * through the API takes effect within this long.
         */
        @WithDefault("10s")
        Duration syncInterval();
    }

    /** Time limits of workflows and their steps, enforced by a Quartz sweep. */
    interface Workflow {
        /**
         * A RUNNING workflow older than this is FAILED ("timed out after …") and its unfinished jobs cancelled.
         * Guards against a workflow that never ends: a step waiting forever on a lost event, a job stuck in
         * retries, a worker pool that never frees up — without it the workflow would stay RUNNING for good.
         */
        @WithDefault("24h")
        Duration timeout();

        /**
         * A workflow job RUNNING (on its current attempt) longer than this loses the attempt through the retry
         * path ("step timed out after …"): bounded attempts with backoff, then FAILED. Guards against a worker
         * that still sends heartbeats but makes no headway (a hung sampler, a training that never converges to
         * its step count), which the heartbeat timeout cannot see.
         */
        @WithDefault("6h")
        Duration stepTimeout();

        /** How often workflows and their running jobs are checked against the two limits. */
        @WithDefault("30s")
        Duration sweepInterval();

        /** Most workflows (and, separately, most jobs) one sweep handles (one transaction). */
        @WithDefault("100")
        int batchSize();
    }

    interface Heartbeat {
        /**
         * A RUNNING job whose last heartbeat (or start) is older than this has lost its worker.
         * Must be comfortably longer than the workers' share-lock duration, so that Kafka's own
         * redelivery to another worker gets the first chance.
         */
        @WithDefault("5m")
        Duration timeout();

        /** How often the sweeper looks for RUNNING jobs without a heartbeat. */
        @WithDefault("10s")
        Duration sweepInterval();

        /**
         * No sweeping for this long after start: heartbeats that arrived while the scheduler was
         * down are still in the topic, and the consumer must catch up before silence means death.
         */
        @WithDefault("5m")
        Duration startupGrace();

        /** Most jobs one sweep handles (one transaction); the rest wait for the next sweep. */
        @WithDefault("100")
        int batchSize();
    }

    interface Retry {
        /** Delay before the second attempt; each further attempt doubles it (see {@link #multiplier()}). */
        @WithDefault("30s")
        Duration initialBackoff();

        /** Upper bound of any retry delay. */
        @WithDefault("10m")
        Duration maxBackoff();

        @WithDefault("2.0")
        double multiplier();

        /** Fraction of the delay taken off at random (0 = none, 1 = anything down to zero) so retries spread out. */
        @WithDefault("0.2")
        double jitter();

        /** How often due retries are put back on the queue. */
        @WithDefault("5s")
        Duration pollInterval();

        /** Most retries one poll re-queues (one transaction). */
        @WithDefault("100")
        int batchSize();
    }

    /**
     * Retention of training artifacts: object storage fills up with checkpoints nobody will use again.
     * The audit log, the metrics, final LoRAs and each workflow's best checkpoint are never deleted.
     */
    interface Retention {
        /** Checkpoints (and samples rendered from them) older than this go once their job and workflow ended. */
        @WithDefault("30d")
        Duration maxAge();

        /** How often retention looks for old checkpoints. */
        @WithDefault("1h")
        Duration interval();

        /** Checkpoints purged per transaction. */
        @WithDefault("50")
        int batchSize();
    }

    /** Command topic per job kind: where a retry's new command goes (through the outbox). */
    interface CommandTopics {
        /** Where a cancel request goes (every worker reads it): a timed-out workflow's running jobs. */
        @WithDefault(Topics.JOB_CONTROL)
        String jobControl();

        @WithDefault(Topics.JOBS_TRAIN)
        String train();

        @WithDefault(Topics.JOBS_GENERATE)
        String generate();

        @WithDefault(Topics.JOBS_EVALUATE)
        String evaluate();
    }
}
