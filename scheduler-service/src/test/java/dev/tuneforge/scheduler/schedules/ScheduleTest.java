package dev.tuneforge.scheduler.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.common.workflows.TrainThenEvaluate;
import dev.tuneforge.infra.test.KafkaResource;
import dev.tuneforge.infra.test.PostgresResource;
import dev.tuneforge.scheduler.jobs.Sql;
import dev.tuneforge.scheduler.support.TestJobs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Cron schedules on the real embedded PostgreSQL with Quartz's clustered JDBC store: the sync turns a row into a
 * trigger, each tick starts one workflow with its train job and command, disabling and deleting stop it, a tick
 * fired twice starts one workflow, and a workflow that no longer validates is reported instead of thrown.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class ScheduleTest {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String EVERY_SECOND = "* * * * * ?";
    private static final String NEVER_SOON = "0 0 0 1 1 ? 2099";

    @Inject
    DataSource dataSource;

    @Inject
    ScheduleStarts starts;

    private final ObjectMapper mapper = EventCodec.newMapper();
    private TestJobs jobs;

    @BeforeEach
    void modelAndDataset() {
        jobs = new TestJobs(dataSource);
        update("INSERT INTO models (tenant_id, id, name, total_bytes, files) VALUES ('local', 'sd15', 'sd15', 1, '[]')"
                + " ON CONFLICT DO NOTHING");
        update("INSERT INTO datasets (tenant_id, id, name, image_count, total_bytes, files)"
                + " VALUES ('local', 'portraits', 'portraits', 1, 1, '[]') ON CONFLICT DO NOTHING");
    }

    private ObjectNode trainThenEvaluate(String modelId) {
        ObjectNode body = mapper.createObjectNode().put("template", TrainThenEvaluate.NAME);
        body.set("train", mapper.valueToTree(TrainSpec.lora(modelId, "portraits")));
        return body;
    }

    private UUID schedule(String cron, ObjectNode workflow) {
        UUID id = UUID.randomUUID();
        update("INSERT INTO schedules (id, tenant_id, name, cron, time_zone, misfire_policy, workflow, created_by)"
                + " VALUES (?, 'local', ?, ?, 'Europe/Berlin', 'SKIP', ?::jsonb, 'test-key')",
                id, "nightly-" + id, cron, workflow.toString());
        return id;
    }

    @Test
    void anEverySecondScheduleStartsOneWorkflowPerTickUntilItIsDisabledThenDeleted() {
        UUID schedule = schedule(EVERY_SECOND, trainThenEvaluate("sd15"));
        await().atMost(PATIENCE).until(() -> workflowsOf(schedule).size() >= 2);

        List<Map<String, Object>> started = workflowsOf(schedule);
        assertThat(started).extracting(w -> w.get("scheduled_for")).doesNotHaveDuplicates();
        for (Map<String, Object> workflow : started) {
            UUID id = UUID.fromString((String) workflow.get("id"));
            assertThat(workflow.get("status")).isEqualTo("RUNNING");
            assertThat(workflow.get("created_by")).isEqualTo("schedule:nightly-" + schedule);
            assertThat(workflow.get("template")).isEqualTo(TrainThenEvaluate.NAME);
            assertThat(jobs.stepStatuses(id)).containsExactlyInAnyOrderEntriesOf(
                    Map.of("train", "RUNNING", "evaluate", "PENDING"));
            List<Map<String, Object>> trains = jobs.jobsOf(id, TrainThenEvaluate.TRAIN);
            assertThat(trains).singleElement().satisfies(train -> {
                assertThat(train.get("status")).isEqualTo("QUEUED");
                assertThat(train.get("max_attempts")).as("the table's default, as the API's jobs").isEqualTo(3);
                assertThat(train.get("submitted_by")).isEqualTo("schedule:nightly-" + schedule);
            });
            UUID train = UUID.fromString((String) trains.get(0).get("id"));
            assertThat(jobs.outbox(train)).singleElement()
                    .satisfies(command -> assertThat(command.get("topic")).isEqualTo("tuneforge.jobs.train"));
            String cause = "timer:schedule/" + schedule + "@" + tickOf(workflow);
            assertThat(jobs.workflowAudit(id)).extracting(r -> r.get("type"), r -> r.get("cause"), r -> r.get("job_id"))
                    .startsWith(Tuple.tuple(ScheduleStarts.SUBMITTED, cause, null),
                            Tuple.tuple("dev.tuneforge.job.requested", cause, train.toString()));
        }

        update("UPDATE schedules SET enabled = false, version = version + 1 WHERE id = ?", schedule);
        await().atMost(PATIENCE).until(() -> !hasTrigger(schedule));
        int afterDisable = workflowsOf(schedule).size();
        update("UPDATE schedules SET enabled = true, version = version + 1 WHERE id = ?", schedule);
        await().atMost(PATIENCE).until(() -> workflowsOf(schedule).size() > afterDisable);

        update("DELETE FROM schedules WHERE id = ?", schedule);
        await().atMost(PATIENCE).until(() -> !hasTrigger(schedule));
        assertThat(starts.start(schedule, Instant.now())).as("a fire after the delete").isEqualTo(ScheduleStarts.Outcome.NO_SCHEDULE);
    }

    @Test
    void theSameTickFiredTwiceStartsOneWorkflow() {
        UUID schedule = schedule(NEVER_SOON, trainThenEvaluate("sd15"));
        Instant tick = Instant.parse("2030-01-01T03:00:00Z");

        assertThat(starts.start(schedule, tick)).isEqualTo(ScheduleStarts.Outcome.STARTED);
        assertThat(starts.start(schedule, tick)).isEqualTo(ScheduleStarts.Outcome.ALREADY_STARTED);

        List<Map<String, Object>> started = workflowsOf(schedule);
        assertThat(started).singleElement().satisfies(w -> assertThat(tickOf(w)).isEqualTo(tick));
        UUID id = UUID.fromString((String) started.get(0).get("id"));
        assertThat(jobs.jobsOf(id, TrainThenEvaluate.TRAIN)).hasSize(1);
        assertThat(starts.start(schedule, tick.plusSeconds(60))).as("the next tick").isEqualTo(ScheduleStarts.Outcome.STARTED);
    }

    @Test
    void aStoredWorkflowThatNoLongerValidatesIsReportedNotThrown() {
        UUID schedule = schedule(NEVER_SOON, trainThenEvaluate("deleted-model"));
        Instant tick = Instant.parse("2030-01-01T04:00:00Z");

        assertThat(starts.start(schedule, tick)).isEqualTo(ScheduleStarts.Outcome.INVALID);

        assertThat(workflowsOf(schedule)).isEmpty();
        List<Map<String, Object>> reports = query("SELECT * FROM job_events WHERE cause = ?",
                "timer:schedule/" + schedule + "@" + tick);
        assertThat(reports).singleElement().satisfies(row -> {
            assertThat(row.get("type")).isEqualTo(ScheduleStarts.FAILED);
            assertThat(jobs.json(row.get("payload")).get("reason").asText()).isEqualTo(
                    "the schedule's workflow is no longer valid: no model 'deleted-model' (steps train, evaluate)");
        });
    }

    private List<Map<String, Object>> workflowsOf(UUID schedule) {
        return query("SELECT id, status, created_by, template, scheduled_for FROM workflows WHERE schedule_id = ?"
                + " ORDER BY scheduled_for", schedule);
    }

    private Instant tickOf(Map<String, Object> workflow) {
        return query("SELECT scheduled_for FROM workflows WHERE id = ?::uuid", workflow.get("id")).stream()
                .map(r -> ((Timestamp) r.get("scheduled_for")).toInstant()).findFirst().orElseThrow();
    }

    private boolean hasTrigger(UUID schedule) {
        return !query("SELECT 1 FROM qrtz_triggers WHERE trigger_name = ?", "schedule-" + schedule).isEmpty();
    }

    private void update(String sql, Object... parameters) {
        Sql.update(dataSource, sql, parameters);
    }

    private List<Map<String, Object>> query(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<Map<String, Object>> result = new ArrayList<>();
                while (rows.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                        Object value = rows.getObject(i);
                        row.put(rows.getMetaData().getColumnName(i), value instanceof UUID ? value.toString() : value);
                    }
                    result.add(row);
                }
                return result;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
