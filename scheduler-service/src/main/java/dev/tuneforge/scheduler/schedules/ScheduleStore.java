package dev.tuneforge.scheduler.schedules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.jobs.EvaluateSpec;
import dev.tuneforge.common.jobs.JobSpec;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.common.workflows.StepSpec;
import dev.tuneforge.common.workflows.WorkflowSpec;
import dev.tuneforge.scheduler.jobs.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** The scheduler's reads of {@code schedules} and of the models and datasets a scheduled workflow names. */
@ApplicationScoped
public class ScheduleStore {
    private static final String COLUMNS = "id, tenant_id, name, cron, time_zone, misfire_policy, workflow, enabled, version";

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    public ScheduleStore(DataSource dataSource, EventCodec codec) {
        this.dataSource = dataSource;
        this.mapper = codec.mapper();
    }

    public List<Schedule> enabled() {
        return Sql.query(dataSource, "SELECT " + COLUMNS + " FROM schedules WHERE enabled ORDER BY id", this::read);
    }

    public Optional<Schedule> find(UUID id) {
        return Sql.query(dataSource, "SELECT " + COLUMNS + " FROM schedules WHERE id = ?", this::read, id).stream().findFirst();
    }

    /**
     * What {@code spec}'s steps name that the tenant no longer has (a model or dataset deleted since the schedule
     * was created), each once with the steps naming it, e.g. {@code no model 'sd15' (steps train, evaluate)};
     * empty when everything is there.
     */
    public List<String> unknownReferences(String tenantId, WorkflowSpec spec) {
        Map<String, List<String>> unknown = new LinkedHashMap<>();
        for (StepSpec step : spec.steps()) {
            JobSpec job = step.spec();
            if (!exists("models", tenantId, job.modelId())) {
                unknown.computeIfAbsent("no model '" + job.modelId() + "'", k -> new ArrayList<>()).add(step.id());
            }
            datasetOf(job).filter(id -> !exists("datasets", tenantId, id)).ifPresent(id -> unknown
                    .computeIfAbsent("no dataset '" + id + "'", k -> new ArrayList<>()).add(step.id()));
        }
        return unknown.entrySet().stream()
                .map(e -> e.getKey() + " (" + (e.getValue().size() == 1 ? "step " : "steps ")
                        + String.join(", ", e.getValue()) + ")").toList();
    }

    private static Optional<String> datasetOf(JobSpec spec) {
        if (spec instanceof TrainSpec train) {
            return Optional.ofNullable(train.datasetId());
        }
        return spec instanceof EvaluateSpec evaluate ? Optional.ofNullable(evaluate.datasetId()) : Optional.empty();
    }

    private boolean exists(String table, String tenantId, String id) {
        // The table name is one of two constants above, never input.
        return !Sql.query(dataSource, "SELECT 1 FROM " + table + " WHERE tenant_id = ? AND id = ?", row -> 1, tenantId, id)
                .isEmpty();
    }

    private Schedule read(ResultSet row) throws SQLException {
        return new Schedule(row.getObject("id", UUID.class), row.getString("tenant_id"), row.getString("name"),
                row.getString("cron"), row.getString("time_zone"), row.getString("misfire_policy"),
                json(row.getString("workflow")), row.getBoolean("enabled"), row.getLong("version"));
    }

    private JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("schedules row holds invalid workflow JSON: " + e.getOriginalMessage(), e);
        }
    }
}
