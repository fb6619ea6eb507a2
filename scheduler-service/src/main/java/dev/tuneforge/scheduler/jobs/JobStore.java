package dev.tuneforge.scheduler.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.jobs.JobStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The scheduler's reads and writes of {@code jobs}. Every read locks the rows it returns
 * ({@code FOR UPDATE}) so the caller's transaction decides alone; the timer queries skip rows
 * another transaction holds (an event being applied, another scheduler instance) instead of
 * waiting for them. Writes bump {@code version}, which the api-service's optimistic updates check.
 */
@ApplicationScoped
public class JobStore {
    private static final String COLUMNS = "id, tenant_id, kind, status, attempt, max_attempts, spec, submitted_by,"
            + " failure_reason, worker_id, progress, artifacts, started_at, finished_at, last_heartbeat_at,"
            + " next_retry_at, version, workflow_id, workflow_step";

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    public JobStore(DataSource dataSource, EventCodec codec) {
        this.dataSource = dataSource;
        this.mapper = codec.mapper();
    }

    public Optional<Job> lock(UUID id) {
        List<Job> jobs = query("SELECT " + COLUMNS + " FROM jobs WHERE id = ? FOR UPDATE", id);
        return jobs.stream().findFirst();
    }

    /** RUNNING jobs that have shown no sign of life (heartbeat, else start) since {@code cutoff}. */
    public List<Job> lockSilentSince(Instant cutoff, int limit) {
        return query("SELECT " + COLUMNS + " FROM jobs WHERE status = 'RUNNING'"
                + " AND coalesce(last_heartbeat_at, started_at, updated_at) < ?"
                + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED", timestamp(cutoff), limit);
    }

    /** RETRYING jobs whose next attempt is due. */
    public List<Job> lockDueRetries(Instant now, int limit) {
        return query("SELECT " + COLUMNS + " FROM jobs WHERE status = 'RETRYING' AND next_retry_at <= ?"
                + " ORDER BY next_retry_at LIMIT ? FOR UPDATE SKIP LOCKED", timestamp(now), limit);
    }

    /** RUNNING jobs of workflows whose current attempt started before {@code cutoff}. */
    public List<Job> lockWorkflowJobsRunningSince(Instant cutoff, int limit) {
        return query("SELECT " + COLUMNS + " FROM jobs WHERE status = 'RUNNING' AND workflow_id IS NOT NULL"
                + " AND started_at < ? ORDER BY started_at LIMIT ? FOR UPDATE SKIP LOCKED", timestamp(cutoff), limit);
    }

    /**
     * The workflow's jobs that have not ended. Rows another transaction holds (an event of the job being applied)
     * are skipped rather than waited for: that transaction locks the workflow next, which its caller already holds.
     */
    public List<Job> lockUnfinishedOf(UUID workflowId) {
        return query("SELECT " + COLUMNS + " FROM jobs WHERE workflow_id = ?"
                + " AND status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED') ORDER BY created_at, id FOR UPDATE SKIP LOCKED",
                workflowId);
    }

    /** Inserts a new job (built with {@link Job#of}), with no progress or artifacts yet. */
    public void insert(Job job) {
        Sql.update(dataSource, "INSERT INTO jobs (id, tenant_id, kind, status, attempt, max_attempts, spec, submitted_by,"
                + " progress, artifacts, workflow_id, workflow_step) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, '{}', '{}', ?, ?)",
                job.id(), job.tenantId(), job.kind(), job.status.name(), job.attempt, job.maxAttempts(), json(job.spec()),
                job.submittedBy(), job.workflowId, job.workflowStep);
    }

    /**
     * Inserts the QUEUED first job of a workflow's step with the table's default attempt budget, the one the API
     * gives every job it writes (its insert names none), and returns it.
     */
    public Job insertQueued(UUID id, String tenantId, String kind, JsonNode spec, String submittedBy, UUID workflowId,
            String step) {
        int maxAttempts = Sql.query(dataSource, "INSERT INTO jobs (id, tenant_id, kind, status, attempt, spec, submitted_by,"
                + " progress, artifacts, workflow_id, workflow_step) VALUES (?, ?, ?, 'QUEUED', 1, ?::jsonb, ?, '{}', '{}', ?, ?)"
                + " RETURNING max_attempts", row -> row.getInt(1), id, tenantId, kind, json(spec), submittedBy, workflowId,
                step).get(0);
        return Job.of(id, tenantId, kind, spec, submittedBy, JobStatus.QUEUED, 1, maxAttempts).inWorkflow(workflowId, step);
    }

    /** Writes the job's mutable columns back; the row must still carry the version that was read. */
    public void save(Job job) {
        String sql = "UPDATE jobs SET status = ?, attempt = ?, worker_id = ?, failure_reason = ?,"
                + " progress = ?::jsonb, artifacts = ?::jsonb, started_at = ?, finished_at = ?,"
                + " last_heartbeat_at = ?, next_retry_at = ?, updated_at = now(), version = version + 1"
                + " WHERE id = ? AND version = ?";
        int updated = Sql.update(dataSource, sql, job.status.name(), job.attempt, job.workerId, job.failureReason,
                json(job.progress), json(job.artifacts), timestamp(job.startedAt), timestamp(job.finishedAt),
                timestamp(job.lastHeartbeatAt), timestamp(job.nextRetryAt), job.id(), job.version());
        if (updated != 1) {
            // Cannot happen while the row is locked; if it does, roll back rather than overwrite.
            throw new IllegalStateException("job " + job.id() + " changed under a row lock (version " + job.version() + ")");
        }
    }

    private List<Job> query(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = Sql.prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            List<Job> jobs = new ArrayList<>();
            while (rows.next()) {
                jobs.add(read(rows));
            }
            return jobs;
        } catch (SQLException e) {
            throw new DataAccessException("cannot read jobs", e);
        }
    }

    private Job read(ResultSet row) throws SQLException {
        Job job = new Job(row.getObject("id", UUID.class), row.getString("tenant_id"), row.getString("kind"),
                parse(row.getString("spec")), row.getString("submitted_by"), row.getInt("max_attempts"),
                row.getLong("version"));
        job.status = JobStatus.valueOf(row.getString("status"));
        job.attempt = row.getInt("attempt");
        job.workerId = row.getString("worker_id");
        job.failureReason = row.getString("failure_reason");
        job.progress = object(row.getString("progress"));
        job.artifacts = object(row.getString("artifacts"));
        job.startedAt = instant(row, "started_at");
        job.finishedAt = instant(row, "finished_at");
        job.lastHeartbeatAt = instant(row, "last_heartbeat_at");
        job.nextRetryAt = instant(row, "next_retry_at");
        job.workflowId = row.getObject("workflow_id", UUID.class);
        job.workflowStep = row.getString("workflow_step");
        return job;
    }

    private JsonNode parse(String json) {
        try {
            return json == null ? null : mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("jobs row holds invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private ObjectNode object(String json) {
        JsonNode node = parse(json);
        return node instanceof ObjectNode object ? object : mapper.createObjectNode();
    }

    private static String json(JsonNode node) {
        return node == null ? null : node.toString();
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
