package dev.tuneforge.scheduler.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneforge.common.events.JobCancelled;
import dev.tuneforge.common.events.JobCheckpoint;
import dev.tuneforge.common.events.JobEvaluated;
import dev.tuneforge.common.events.JobEventData;
import dev.tuneforge.common.events.JobFailed;
import dev.tuneforge.common.events.JobProgress;
import dev.tuneforge.common.events.JobSamples;
import dev.tuneforge.common.events.JobStarted;
import dev.tuneforge.common.events.JobSucceeded;
import dev.tuneforge.common.events.TypedEvent;
import dev.tuneforge.common.jobs.JobStateMachine;
import dev.tuneforge.scheduler.jobs.Job;
import java.time.Instant;
import java.util.Optional;

/**
 * What an event of the job's current attempt does to the job: the status move the
 * {@link JobStateMachine} allows, plus the figures it carries. {@code progress} holds the live
 * figures and the latest checkpoint, samples and evaluation; {@code artifacts} keeps every location:
 * {@code checkpoints}, {@code samples} and {@code evaluations} by {@code step-<n>}, and {@code final}
 * (the succeeded event's artifacts). Terminal jobs never change.
 */
final class EventEffects {
    private final ObjectMapper mapper;

    EventEffects(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Applies {@code event} to {@code job}. Returns the failure reason when the event reports a
     * retryable failure: the attempt is lost, and the retry path decides what comes next.
     */
    Optional<String> apply(Job job, TypedEvent<? extends JobEventData> event, Instant now) {
        if (job.status().isTerminal()) {
            return Optional.empty();
        }
        JobEventData data = event.data();
        if (data instanceof JobFailed failed && failed.retryable()) {
            return Optional.of(failed.reason());
        }
        JobStateMachine.onEvent(job.status(), event.type()).ifPresent(target -> job.moveTo(target, now, reasonOf(data)));
        if (!job.status().isTerminal()) {
            // Any event of the current attempt shows the worker is alive, not only progress.
            job.heartbeat(now);
        }
        record(job, data, now);
        return Optional.empty();
    }

    private static String reasonOf(JobEventData data) {
        if (data instanceof JobFailed failed) {
            return failed.reason();
        }
        return data instanceof JobCancelled cancelled ? cancelled.reason() : null;
    }

    private void record(Job job, JobEventData data, Instant now) {
        if (data instanceof JobStarted started) {
            job.workerId(started.workerId());
            putIfSet(job.progress(), "resumedFromStep", started.resumedFromStep());
        } else if (data instanceof JobProgress progress) {
            recordProgress(job, progress, now);
        } else if (data instanceof JobCheckpoint checkpoint) {
            job.progress().set("lastCheckpoint", mapper.createObjectNode()
                    .put("step", checkpoint.step()).put("location", checkpoint.location()));
            group(job, "checkpoints").put(stepKey(checkpoint.step()), checkpoint.location());
        } else if (data instanceof JobSamples samples) {
            job.progress().set("lastSamples", mapper.createObjectNode()
                    .put("step", samples.step()).put("count", samples.locations().size()));
            group(job, "samples").set(stepKey(samples.step()), mapper.valueToTree(samples.locations()));
        } else if (data instanceof JobEvaluated evaluated) {
            ObjectNode scores = mapper.createObjectNode();
            scores.set("step", mapper.valueToTree(evaluated.step()));
            scores.set("metrics", mapper.valueToTree(evaluated.metrics()));
            job.progress().set("lastEvaluation", scores);
            ObjectNode report = mapper.createObjectNode().put("report", evaluated.reportLocation());
            report.set("metrics", mapper.valueToTree(evaluated.metrics()));
            group(job, "evaluations").set(evaluated.step() == null ? "overall" : stepKey(evaluated.step()), report);
        } else if (data instanceof JobSucceeded succeeded) {
            job.artifacts().set("final", mapper.valueToTree(succeeded.artifacts()));
        }
    }

    private void recordProgress(Job job, JobProgress progress, Instant now) {
        if (progress.workerId() != null) {
            job.workerId(progress.workerId());
        }
        ObjectNode figures = job.progress();
        putIfSet(figures, "step", progress.step());
        putIfSet(figures, "totalSteps", progress.totalSteps());
        putIfSet(figures, "loss", progress.loss());
        putIfSet(figures, "lossAverage", progress.lossAverage());
        putIfSet(figures, "learningRate", progress.learningRate());
        putIfSet(figures, "imagesPerSecond", progress.imagesPerSecond());
        putIfSet(figures, "etaSeconds", progress.etaSeconds());
        putIfSet(figures, "message", progress.message());
        figures.put("updatedAt", now.toString());
    }

    private static ObjectNode group(Job job, String name) {
        return job.artifacts().has(name) && job.artifacts().get(name).isObject()
                ? (ObjectNode) job.artifacts().get(name)
                : job.artifacts().putObject(name);
    }

    private static String stepKey(int step) {
        return "step-" + step;
    }

    private void putIfSet(ObjectNode node, String field, Object value) {
        if (value != null) {
            node.set(field, mapper.valueToTree(value));
        }
    }
}
