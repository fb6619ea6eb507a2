package dev.tuneforge.common;

import java.util.List;

/**
 * Kafka topic names of DESIGN §2. Services refer to logical channel names in code and map them to
 * these topics in configuration; the embedded platform pre-creates exactly this list.
 */
public final class Topics {
    public static final String JOBS_TRAIN = "tuneforge.jobs.train";
    public static final String JOBS_GENERATE = "tuneforge.jobs.generate";
    public static final String JOBS_EVALUATE = "tuneforge.jobs.evaluate";
    public static final String JOB_EVENTS = "tuneforge.job-events";
    public static final String JOB_CONTROL = "tuneforge.job-control";
    public static final String DLQ = "tuneforge.dlq";

    /** Command topics, one per job kind, consumed by workers through share groups. */
    public static final List<String> COMMANDS = List.of(JOBS_TRAIN, JOBS_GENERATE, JOBS_EVALUATE);

    public static final List<String> ALL =
            List.of(JOBS_TRAIN, JOBS_GENERATE, JOBS_EVALUATE, JOB_EVENTS, JOB_CONTROL, DLQ);

    /** Header names on DLQ records: why a record could not be processed, and where it came from. */
    public static final String DLQ_REASON_HEADER = "tuneforge.dlq.reason";
    public static final String DLQ_SOURCE_TOPIC_HEADER = "tuneforge.dlq.source-topic";
    public static final String DLQ_CONSUMER_HEADER = "tuneforge.dlq.consumer";

    private Topics() {
    }
}
