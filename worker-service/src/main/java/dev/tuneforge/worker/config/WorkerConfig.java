package dev.tuneforge.worker.config;

import dev.tuneforge.common.Topics;
import dev.tuneforge.common.jobs.JobKind;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the job runner ({@code tuneforge.worker.*}); the Kafka address is the shared
 * {@code kafka.bootstrap.servers}. Every default here is the production value; the %test profile
 * shortens locks and intervals.
 */
@ConfigMapping(prefix = "tuneforge.worker")
public interface WorkerConfig {
    /** Worker id in events, logs and Kafka client ids; default: host name and process id. */
    Optional<String> id();

    /** Job kinds this worker takes: it subscribes to their command topics only (a pool without train never holds a training). */
    @WithDefault("train,generate,evaluate")
    List<JobKind> kinds();

    /** The share group every worker of the platform joins. */
    @WithDefault("tuneforge-workers")
    String group();

    /**
     * Acquisition lock of a command record ({@code share.record.lock.duration.ms} of the group).
     * The runner renews it every third of this while a job runs; a dead worker's job goes to another
     * worker after at most this long.
     */
    @WithDefault("60s")
    Duration lockDuration();

    /** The broker's delivery limit for the group ({@code share.delivery.count.limit}); after it the record is archived. */
    @WithDefault("5")
    int deliveryCountLimit();

    /**
     * Deliveries a command may take before the runner gives up on it: a delivery past this number is
     * not run but reported as a failed job. Must stay below {@link #deliveryCountLimit()} so that the
     * last delivery the broker makes is used to tell why.
     */
    @WithDefault("4")
    int maxDeliveries();

    /** Longest silence of a running job on the events topic: a heartbeat progress event fills it. */
    @WithDefault("30s")
    Duration heartbeatInterval();

    /** How long an idle worker waits in one poll for a command. Also bounds how long shutdown waits for an idle loop. */
    @WithDefault("1s")
    Duration pollTimeout();

    /** How long the runner waits for the broker's ack of an event before it treats Kafka as failing. */
    @WithDefault("30s")
    Duration publishTimeout();

    /** How long a shutdown waits for the running job to stop (checkpoint) before its record is released anyway. */
    @WithDefault("60s")
    Duration shutdownTimeout();

    /**
     * How long the start waits for the group configs to show in {@code describeConfigs} (they apply
     * asynchronously), and then for job-control to be read up to its end.
     */
    @WithDefault("60s")
    Duration groupConfigTimeout();

    /**
     * Where jobs run: {@code auto} takes the GPU when DJL sees one, else the CPU. On a GPU one training
     * job runs at a time; the base weights stay float32 (the engine has no fp16 load path yet).
     */
    @WithDefault("auto")
    DeviceMode device();

    /** Command loops of this process, i.e. jobs at once on the CPU; a GPU worker runs one training at a time anyway. */
    @WithDefault("1")
    int concurrency();

    /** A CLIP model folder (transformers layout) for the evaluation's CLIP score; without it the score is skipped. */
    Optional<String> clipModel();

    /** Per-job working folders (checkpoints before upload, renders); default {@code ${user.home}/.cache/tuneforge/work}. */
    Optional<String> workDir();

    Cache cache();

    /**
     * Build property, read by the handlers' {@code @IfBuildProperty}: false leaves the engine's job
     * handlers out of the build (the %test profile, whose runner tests bring a scripted train handler).
     */
    @WithDefault("true")
    boolean engineHandlers();

    /** The local copy of models and datasets ({@code tuneforge.worker.cache.*}). */
    interface Cache {
        /** Default {@code ${user.home}/.cache/tuneforge/worker}. */
        Optional<String> dir();

        /** Size bound, e.g. {@code 20G}, {@code 512M}, {@code 1000000} (bytes); entries in use are never evicted. */
        @WithDefault("20G")
        String maxSize();
    }

    /** Which device jobs run on. */
    enum DeviceMode { AUTO, CPU, GPU }

    TopicNames topics();

    /** Topic names; defaults are the platform's {@link Topics}. */
    interface TopicNames {
        @WithDefault(Topics.JOBS_TRAIN)
        String train();

        @WithDefault(Topics.JOBS_GENERATE)
        String generate();

        @WithDefault(Topics.JOBS_EVALUATE)
        String evaluate();

        @WithDefault(Topics.JOB_EVENTS)
        String events();

        @WithDefault(Topics.JOB_CONTROL)
        String control();

        @WithDefault(Topics.DLQ)
        String dlq();

        default String commands(JobKind kind) {
            return switch (kind) {
                case TRAIN -> train();
                case GENERATE -> generate();
                case EVALUATE -> evaluate();
            };
        }
    }
}
