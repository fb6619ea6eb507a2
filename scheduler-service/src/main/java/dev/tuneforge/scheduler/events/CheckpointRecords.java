package dev.tuneforge.scheduler.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.JobCheckpoint;
import dev.tuneforge.common.events.JobEvaluated;
import dev.tuneforge.common.events.JobEventData;
import dev.tuneforge.common.events.JobSamples;
import dev.tuneforge.scheduler.jobs.Job;
import dev.tuneforge.scheduler.jobs.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Keeps the {@code checkpoints} table (one row per complete checkpoint of a training job) in step
 * with the job's events, in the transaction that applies them. Every write is an upsert or an
 * update of the same values, so applying an event twice leaves the same rows; stale attempts never
 * get here (the processor fences them first).
 * <ul>
 * <li>{@code job.checkpoint}: the row for (job, step) with its location;</li>
 * <li>{@code job.samples}: the sample locations on that row; without a checkpoint of that step
 * (a generate job's images, samples before the first checkpoint) they stay only in the job's
 * artifacts, where {@link EventEffects} records them anyway;</li>
 * <li>{@code job.evaluated}: metrics and report on the checkpoint scored: for an evaluate job, the
 * checkpoint its {@code spec.lora} names (same tenant), else the job's own checkpoint of that step.
 * The evaluate job's own row gets the metrics through {@link EventEffects}.</li>
 * </ul>
 */
@ApplicationScoped
public class CheckpointRecords {
    private static final String EVALUATE = "evaluate";

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    public CheckpointRecords(DataSource dataSource, EventCodec codec) {
        this.dataSource = dataSource;
        this.mapper = codec.mapper();
    }

    /** Records what {@code data}, an event of {@code job}'s current attempt, says about a checkpoint. */
    void record(Job job, JobEventData data) {
        if (data instanceof JobCheckpoint checkpoint) {
            update("INSERT INTO checkpoints (job_id, step, location) VALUES (?, ?, ?)"
                    + " ON CONFLICT (job_id, step) DO UPDATE SET location = EXCLUDED.location",
                    job.id(), checkpoint.step(), checkpoint.location());
        } else if (data instanceof JobSamples samples) {
            update("UPDATE checkpoints SET samples = ?::jsonb WHERE job_id = ? AND step = ?",
                    json(samples.locations()), job.id(), samples.step());
        } else if (data instanceof JobEvaluated evaluated) {
            recordEvaluation(job, evaluated);
        }
    }

    private void recordEvaluation(Job job, JobEvaluated evaluated) {
        UUID scoredJob = job.id();
        Integer step = evaluated.step();
        JsonNode lora = job.spec() == null ? null : job.spec().get("lora");
        if (EVALUATE.equals(job.kind()) && lora != null && lora.hasNonNull("jobId") && lora.hasNonNull("step")) {
            scoredJob = trainJobId(lora.get("jobId").asText());
            step = lora.get("step").asInt();
        }
        if (scoredJob == null || step == null) {
            return;
        }
        update("UPDATE checkpoints c SET metrics = ?::jsonb, report_location = ? FROM jobs j"
                + " WHERE c.job_id = j.id AND j.tenant_id = ? AND c.job_id = ? AND c.step = ?",
                json(evaluated.metrics()), evaluated.reportLocation(), job.tenantId(), scoredJob, step);
    }

    /** The API checks that {@code lora.jobId} names a train job; a row written otherwise scores nothing. */
    private static UUID trainJobId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value, e);
        }
    }

    private void update(String sql, Object... parameters) {
        Sql.update(dataSource, sql, parameters);
    }
}
