package dev.tuneforge.scheduler.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.jobs.EvaluateSpec;
import dev.tuneforge.common.jobs.JobSpec;
import dev.tuneforge.common.jobs.JobStatus;
import dev.tuneforge.common.jobs.LoraRef;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.common.workflows.WorkflowSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/** Job rows the way the api-service writes them, and what the scheduler made of them, read with plain SQL. */
public final class TestJobs {
    public static final String SUBMITTER = "test-key";

    private final DataSource dataSource;
    private final ObjectMapper mapper = EventCodec.newMapper();

    public TestJobs(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static JobSpec trainSpec() {
        return TrainSpec.lora("sd15", "portraits");
    }

    /**
     * A train job in {@code status} on {@code attempt} of {@code maxAttempts}, last heard from
     * {@code silentFor} ago; progress and artifacts '{}' as the api-service writes them.
     */
    public UUID insert(JobStatus status, int attempt, int maxAttempts, Duration silentFor) {
        UUID id = UUID.randomUUID();
        update("INSERT INTO jobs (id, tenant_id, kind, status, attempt, max_attempts, spec, submitted_by, progress,"
                + " artifacts, started_at, last_heartbeat_at) VALUES (?, 'local', 'train', ?, ?, ?, ?::jsonb, ?, '{}', '{}',"
                + " now() - ?::interval, now() - ?::interval)",
                id, status.name(), attempt, maxAttempts, trainSpecJson(), SUBMITTER,
                silentFor.toSeconds() + " seconds", silentFor.toSeconds() + " seconds");
        return id;
    }

    /** A train job waiting for its second attempt, due now, whose row holds {@code specJson}. */
    public UUID insertDueRetry(String specJson) {
        UUID id = UUID.randomUUID();
        update("INSERT INTO jobs (id, tenant_id, kind, status, attempt, max_attempts, spec, submitted_by, next_retry_at)"
                + " VALUES (?, 'local', 'train', 'RETRYING', 1, 3, ?::jsonb, ?, now())", id, specJson, SUBMITTER);
        return id;
    }

    public String trainSpecJson() {
        return toJson(trainSpec());
    }

    /** A RUNNING evaluate job of tenant 'local' scoring checkpoint {@code step} of {@code trainJob}. */
    public UUID insertEvaluate(UUID trainJob, int step) {
        UUID id = UUID.randomUUID();
        update("INSERT INTO jobs (id, tenant_id, kind, status, attempt, max_attempts, spec, submitted_by, progress,"
                + " artifacts) VALUES (?, 'local', 'evaluate', 'RUNNING', 1, 3, ?::jsonb, ?, '{}', '{}')",
                id, toJson(new EvaluateSpec("sd15", "portraits", new LoraRef(trainJob.toString(), step, null), null)),
                SUBMITTER);
        return id;
    }

    /** A RUNNING workflow of tenant 'local' whose row holds {@code spec} as the API stores it (the expanded general form). */
    public UUID insertWorkflow(WorkflowSpec spec) {
        UUID id = UUID.randomUUID();
        update("INSERT INTO workflows (id, tenant_id, template, spec, status, policy, created_by)"
                + " VALUES (?, 'local', ?, ?::jsonb, 'RUNNING', ?::jsonb, ?)",
                id, spec.template(), toJson(spec), toJson(spec.policy()), SUBMITTER);
        return id;
    }

    /** {@code workflow}'s workflow_steps rows as the API writes them: roots RUNNING, the others PENDING. */
    public void insertSteps(UUID workflow, WorkflowSpec spec) {
        spec.steps().forEach(step -> update("INSERT INTO workflow_steps (workflow_id, step_id, kind, status, depends_on,"
                + " for_each) VALUES (?, ?, ?, ?, ?::jsonb, ?)", workflow, step.id(), step.kind().wireName(),
                step.dependsOn().isEmpty() ? "RUNNING" : "PENDING", toJson(step.dependsOn()), step.forEachStep()));
    }

    /** The recorded status of each step of {@code workflow}, by step id. */
    public Map<String, String> stepStatuses(UUID workflow) {
        Map<String, String> statuses = new LinkedHashMap<>();
        query("SELECT step_id, status FROM workflow_steps WHERE workflow_id = ? ORDER BY step_id", workflow)
                .forEach(row -> statuses.put((String) row.get("step_id"), (String) row.get("status")));
        return statuses;
    }

    /** The audit rows that name {@code workflow}, in order. */
    public List<Map<String, Object>> workflowAudit(UUID workflow) {
        return query("SELECT * FROM job_events WHERE workflow_id = ? ORDER BY seq", workflow);
    }

    /** A RUNNING train job (attempt 1 of 3) running step {@code step} of {@code workflow}. */
    public UUID insertTrainOf(UUID workflow, String step) {
        UUID id = insert(JobStatus.RUNNING, 1);
        update("UPDATE jobs SET workflow_id = ?, workflow_step = ? WHERE id = ?", workflow, step, id);
        return id;
    }

    /** Makes {@code id} a RUNNING job on its last attempt whose worker has been silent for an hour. */
    public void silentOnLastAttempt(UUID id) {
        update("UPDATE jobs SET status = 'RUNNING', attempt = max_attempts, started_at = now() - interval '1 hour',"
                + " last_heartbeat_at = now() - interval '1 hour' WHERE id = ?", id);
    }

    /** The workflow's columns by name, JSON columns as text. */
    public Map<String, Object> workflow(UUID id) {
        List<Map<String, Object>> rows = query("SELECT * FROM workflows WHERE id = ?", id);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    /** The jobs of {@code workflow}'s step {@code step}, oldest first. */
    public List<Map<String, Object>> jobsOf(UUID workflow, String step) {
        return query("SELECT * FROM jobs WHERE workflow_id = ? AND workflow_step = ? ORDER BY created_at, id", workflow, step);
    }

    public UUID insert(JobStatus status, int attempt) {
        return insert(status, attempt, 3, Duration.ZERO);
    }

    /** The job's columns by name ({@code status}, {@code attempt}, {@code progress}, ...), JSON columns as text. */
    public Map<String, Object> row(UUID id) {
        List<Map<String, Object>> rows = query("SELECT * FROM jobs WHERE id = ?", id);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    public String status(UUID id) {
        return (String) row(id).get("status");
    }

    /** The job's audit trail in order. */
    public List<Map<String, Object>> audit(UUID jobId) {
        return query("SELECT * FROM job_events WHERE job_id = ? ORDER BY seq", jobId);
    }

    public List<String> auditTypes(UUID jobId) {
        return audit(jobId).stream().map(row -> shortType((String) row.get("type"))).toList();
    }

    /** The job's rows of {@code checkpoints}, by step. */
    public List<Map<String, Object>> checkpoints(UUID jobId) {
        return query("SELECT * FROM checkpoints WHERE job_id = ? ORDER BY step", jobId);
    }

    public List<Map<String, Object>> outbox(UUID jobId) {
        return query("SELECT * FROM outbox WHERE job_id = ? ORDER BY seq", jobId);
    }

    public JsonNode json(Object column) {
        try {
            return column == null ? null : mapper.readTree(column.toString());
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + column, e);
        }
    }

    /** {@code dev.tuneforge.job.started} → {@code started}. */
    public static String shortType(String type) {
        return type.substring("dev.tuneforge.job.".length());
    }

    private String toJson(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a statement, for a test that sets up a row state no helper writes. */
    public void execute(String sql, Object... parameters) {
        update(sql, parameters);
    }

    private void update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private List<Map<String, Object>> query(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            List<Map<String, Object>> result = new ArrayList<>();
            while (rows.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    row.put(rows.getMetaData().getColumnName(i), plain(rows.getObject(i)));
                }
                result.add(row);
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Numbers, booleans and bytes as they are; JSON, UUIDs and timestamps as text. */
    private static Object plain(Object value) {
        boolean keep = value == null || value instanceof Number || value instanceof Boolean || value instanceof byte[];
        return keep ? value : value.toString();
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}
