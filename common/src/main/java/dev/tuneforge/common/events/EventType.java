package dev.tuneforge.common.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every CloudEvents {@code type} TuneForge publishes, with the payload class and the schema version
 * its {@code dataschema} carries. A consumer that meets a type or version it does not know sends the
 * record to the DLQ instead of crash-looping on it.
 */
public enum EventType {
    JOB_REQUESTED("dev.tuneforge.job.requested", JobCommand.class),
    JOB_STARTED("dev.tuneforge.job.started", JobStarted.class),
    JOB_PROGRESS("dev.tuneforge.job.progress", JobProgress.class),
    JOB_CHECKPOINT("dev.tuneforge.job.checkpoint", JobCheckpoint.class),
    JOB_SAMPLES("dev.tuneforge.job.samples", JobSamples.class),
    JOB_EVALUATED("dev.tuneforge.job.evaluated", JobEvaluated.class),
    JOB_SUCCEEDED("dev.tuneforge.job.succeeded", JobSucceeded.class),
    JOB_FAILED("dev.tuneforge.job.failed", JobFailed.class),
    JOB_CANCELLED("dev.tuneforge.job.cancelled", JobCancelled.class),
    JOB_CANCEL_REQUESTED("dev.tuneforge.job.cancel-requested", JobCancelRequested.class);

    /** Version of every payload schema written by this code; bump per type when a payload changes incompatibly. */
    public static final int SCHEMA_VERSION = 1;

    private final String type;
    private final Class<? extends JobEventData> payloadClass;

    EventType(String type, Class<? extends JobEventData> payloadClass) {
        this.type = type;
        this.payloadClass = payloadClass;
    }

    public String type() {
        return type;
    }

    public Class<? extends JobEventData> payloadClass() {
        return payloadClass;
    }

    /** The {@code dataschema} URI of the current version, e.g. {@code urn:tuneforge:dev.tuneforge.job.started:v1}. */
    public String dataschema() {
        return dataschema(SCHEMA_VERSION);
    }

    public String dataschema(int version) {
        return "urn:tuneforge:" + type + ":v" + version;
    }

    public boolean supportsSchema(String dataschema) {
        return dataschema().equals(dataschema);
    }

    public static Optional<EventType> find(String type) {
        return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
    }

    /** Terminal events end an attempt: the worker waits for the broker's ack of one before it accepts the command. */
    public boolean isTerminal() {
        return this == JOB_SUCCEEDED || this == JOB_FAILED || this == JOB_CANCELLED;
    }
}
