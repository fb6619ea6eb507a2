package dev.tuneforge.scheduler.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.jobs.JobStatus;
import dev.tuneforge.common.workflows.StepSpec;
import dev.tuneforge.common.workflows.StepStatus;
import dev.tuneforge.common.workflows.WorkflowSpec;
import dev.tuneforge.common.workflows.WorkflowStatus;
import dev.tuneforge.scheduler.jobs.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The scheduler's reads and writes of {@code workflows} (V4) and of the jobs and checkpoints that belong
 * to one. The workflow row is locked ({@code FOR UPDATE}) before its jobs are read, so two events of
 * different jobs of one workflow (e.g. the last two evaluations) decide its next move one after the other,
 * each seeing what the other committed.
 */
@ApplicationScoped
public class WorkflowStore {
    /** A workflow's status (the {@code workflows.status} values). */
    /** The locked row: its spec (the expanded general form) and whether its checkpoints were ranked yet. */
    public record Workflow(UUID id, WorkflowStatus status, WorkflowSpec spec, boolean ranked) {
    }

    /** A job of a workflow: the step it runs and, for a per-checkpoint step, the checkpoint its LoRA names. */
    public record StepJob(UUID id, String step, JobStatus status, String failureReason, Integer checkpoint) {
    }

    /** A train job's checkpoint: the scores its evaluation recorded (empty when none). */
    public record Checkpoint(int step, Map<String, Double> metrics) {
    }

    private static final String COLUMNS = "id, status, spec, ranking IS NOT NULL AS ranked";

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    public WorkflowStore(DataSource dataSource, EventCodec codec) {
        this.dataSource = dataSource;
        this.mapper = codec.mapper();
    }

    public Optional<Workflow> lock(UUID id) {
        return Sql.query(dataSource, "SELECT " + COLUMNS + " FROM workflows WHERE id = ? FOR UPDATE", this::workflow, id)
                .stream().findFirst();
    }

    /** The workflow's status as committed, without a lock (for a job that only wants to know whether to go on). */
    public Optional<WorkflowStatus> status(UUID id) {
        return Sql.query(dataSource, "SELECT status FROM workflows WHERE id = ?",
                row -> WorkflowStatus.valueOf(row.getString("status")), id).stream().findFirst();
    }

    public List<StepJob> jobs(UUID workflowId) {
        return Sql.query(dataSource, "SELECT id, workflow_step, status, failure_reason, (spec -> 'lora' ->> 'step')::int AS checkpoint"
                + " FROM jobs WHERE workflow_id = ? ORDER BY created_at, id",
                row -> new StepJob(row.getObject("id", UUID.class), row.getString("workflow_step"),
                        JobStatus.valueOf(row.getString("status")), row.getString("failure_reason"),
                        (Integer) row.getObject("checkpoint")), workflowId);
    }

    public Map<Integer, Checkpoint> checkpoints(UUID trainJob) {
        Map<Integer, Checkpoint> found = new LinkedHashMap<>();
        Sql.query(dataSource, "SELECT step, metrics FROM checkpoints WHERE job_id = ? ORDER BY step",
                row -> new Checkpoint(row.getInt("step"), metrics(row.getString("metrics"))),
                trainJob).forEach(c -> found.put(c.step(), c));
        return found;
    }

    /** Stores the ranking (JSON) and the best checkpoint, or null ones when none is eligible. */
    public void ranked(UUID id, JsonNode ranking, Integer bestStep, String bestLocation) {
        Sql.update(dataSource, "UPDATE workflows SET ranking = ?::jsonb, best_step = ?, best_location = ?,"
                + " updated_at = now(), version = version + 1 WHERE id = ?", ranking.toString(), bestStep, bestLocation, id);
    }

    /**
     * Points the train job's record at the promoted copy ({@code artifacts.best}) as well as the workflow, so
     * the job view shows where the LoRA worth keeping is. Takes the train job's row lock after the workflow's:
     * a rare deadlock with an event of that job aborts one side with a transient error, which is retried.
     */
    public void promoted(UUID trainJob, String location) {
        Sql.update(dataSource, "UPDATE jobs SET artifacts = jsonb_set(artifacts, '{best}', to_jsonb(?::text)),"
                + " updated_at = now(), version = version + 1 WHERE id = ?", location, trainJob);
    }

    /**
     * Inserts the RUNNING workflow a schedule's tick starts, and its steps (roots RUNNING, the others PENDING, as the
     * API writes them). Returns false, writing nothing, when the schedule already started one for this tick.
     */
    public boolean createForTick(UUID id, String tenantId, WorkflowSpec spec, String createdBy, UUID scheduleId,
            Instant tick) {
        int inserted = Sql.update(dataSource, "INSERT INTO workflows (id, tenant_id, template, spec, status, policy, created_by,"
                + " schedule_id, scheduled_for) VALUES (?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?)"
                + " ON CONFLICT (schedule_id, scheduled_for) WHERE schedule_id IS NOT NULL DO NOTHING",
                id, tenantId, spec.template(), json(spec), WorkflowStatus.RUNNING.name(), json(spec.policy()), createdBy, scheduleId,
                tick.atOffset(ZoneOffset.UTC));
        if (inserted == 0) {
            return false;
        }
        for (StepSpec step : spec.steps()) {
            StepStatus state = step.dependsOn().isEmpty() ? StepStatus.RUNNING : StepStatus.PENDING;
            Sql.update(dataSource, "INSERT INTO workflow_steps (workflow_id, step_id, kind, status, depends_on, for_each)"
                    + " VALUES (?, ?, ?, ?, ?::jsonb, ?)", id, step.id(), step.kind().wireName(), state.name(),
                    json(step.dependsOn()), step.forEachStep());
        }
        return true;
    }

    /** RUNNING workflows created before {@code cutoff}, locked; rows another transaction holds are skipped. */
    public List<Workflow> lockRunningSince(Instant cutoff, int limit) {
        return Sql.query(dataSource, "SELECT " + COLUMNS + " FROM workflows WHERE status = 'RUNNING' AND created_at < ?"
                + " ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED", this::workflow, cutoff.atOffset(ZoneOffset.UTC), limit);
    }

    /** Records a step's state ({@code workflow_steps}); a row already in it is left alone. */
    public void stepState(UUID id, String step, StepStatus state) {
        Sql.update(dataSource, "UPDATE workflow_steps SET status = ? WHERE workflow_id = ? AND step_id = ? AND status <> ?",
                state.name(), id, step, state.name());
    }

    /** Ends the workflow; {@code reason} is null unless it failed. */
    public void finish(UUID id, WorkflowStatus status, String reason) {
        Sql.update(dataSource, "UPDATE workflows SET status = ?, failure_reason = ?, updated_at = now(), version = version + 1"
                + " WHERE id = ?", status.name(), reason, id);
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a workflow: " + e.getOriginalMessage(), e);
        }
    }

    private Workflow workflow(ResultSet row) throws SQLException {
        return new Workflow(row.getObject("id", UUID.class), WorkflowStatus.valueOf(row.getString("status")), spec(row),
                row.getBoolean("ranked"));
    }

    private WorkflowSpec spec(ResultSet row) throws SQLException {
        try {
            return mapper.readValue(row.getString("spec"), WorkflowSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("workflows row " + row.getObject("id") + " holds a spec that is not a workflow: "
                    + e.getOriginalMessage(), e);
        }
    }

    private Map<String, Double> metrics(String json) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (json == null) {
            return metrics;
        }
        try {
            mapper.readTree(json).fields().forEachRemaining(field -> {
                if (field.getValue().isNumber()) {
                    metrics.put(field.getKey(), field.getValue().asDouble());
                }
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("checkpoints row holds invalid metrics JSON: " + e.getOriginalMessage(), e);
        }
        return metrics;
    }
}
