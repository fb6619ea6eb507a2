package dev.tuneforge.worker.runner;

import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCancelled;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.events.JobEventData;
import dev.tuneforge.common.events.JobFailed;
import dev.tuneforge.common.events.JobSucceeded;
import java.util.Map;
import org.apache.kafka.clients.consumer.AcknowledgeType;

/**
 * How the runner ends its hold on a command record: the terminal event it publishes first (and
 * waits for the broker's ack of), if any, then the acknowledgement. ACCEPT follows a terminal event;
 * RELEASE (no event) hands the command to another delivery.
 */
record Settlement(EventType type, JobEventData event, AcknowledgeType ack, String summary) {

    static Settlement succeeded(JobCommand command, Map<String, String> artifacts) {
        return new Settlement(EventType.JOB_SUCCEEDED,
                new JobSucceeded(command.jobId(), command.attempt(), artifacts), AcknowledgeType.ACCEPT, "succeeded");
    }

    static Settlement failed(JobCommand command, String reason, boolean retryable) {
        return new Settlement(EventType.JOB_FAILED, new JobFailed(command.jobId(), command.attempt(), reason, retryable),
                AcknowledgeType.ACCEPT, "failed (" + (retryable ? "retryable" : "not retryable") + "): " + reason);
    }

    static Settlement cancelled(JobCommand command, String reason) {
        return new Settlement(EventType.JOB_CANCELLED, new JobCancelled(command.jobId(), command.attempt(), reason),
                AcknowledgeType.ACCEPT, "cancelled: " + reason);
    }

    static Settlement released(String why) {
        return new Settlement(null, null, AcknowledgeType.RELEASE, "released: " + why);
    }

    boolean hasEvent() {
        return type != null;
    }

    /**
     * The settlement of a finished run. A success always counts (the work is done, whatever was asked
     * meanwhile); bad input fails the job for good; otherwise a cancel request ends it as cancelled, a
     * shutdown, a lost lock or an infrastructure fault releases the record, and any other exception
     * fails the job as retryable.
     *
     * @param stop why the runner asked the job to stop, or null
     */
    static Settlement of(JobCommand command, Completion completion, JobExecution.Stop stop) {
        StopReason reason = stop == null ? null : stop.reason();
        if (completion.result() instanceof JobResult.Succeeded done) {
            return succeeded(command, done.artifacts());
        }
        if (completion.error() instanceof BadInputException bad) {
            return failed(command, bad.getMessage(), false);
        }
        if (reason == StopReason.CANCEL) {
            return cancelled(command, stop.note());
        }
        if (reason == StopReason.SHUTDOWN || reason == StopReason.LOCK_LOST) {
            return released(stop.note() + (completion.error() == null ? "" : " (" + describe(completion.error()) + ")"));
        }
        if (completion.error() instanceof RetryableJobException retry) {
            return released("infrastructure fault: " + describe(retry));
        }
        if (completion.error() != null) {
            return failed(command, command.spec().kind().wireName() + " handler failed: " + describe(completion.error()), true);
        }
        return failed(command, command.spec().kind().wireName() + " handler stopped although nobody asked it to", true);
    }

    static String describe(Throwable error) {
        String message = error.getMessage();
        String type = error.getClass().getSimpleName();
        String own = message == null || message.isBlank() ? type : type + ": " + message;
        Throwable cause = error.getCause();
        return cause == null || cause == error ? own : own + " (caused by " + describe(cause) + ")";
    }
}
