package dev.tuneforge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.api.testing.ApiTest;
import dev.tuneforge.api.testing.ProblemAssertions;
import dev.tuneforge.api.testing.Requests;
import dev.tuneforge.api.testing.TestKeys;
import dev.tuneforge.infra.test.TuneForgeInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /api/v1/audit: the tenant's audit log, filtered, paged by seq, and exported as JSON Lines. */
@QuarkusTest
@WithTestResource(TuneForgeInfraResource.class)
class AuditTest extends ApiTest {
    private static final String AUDIT = "/api/v1/audit";
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    private UUID workflow;
    private UUID trainJob;
    private UUID evaluateJob;
    private UUID standaloneJob;

    /**
     * A workflow (its submission row, its train job's request, an evaluate job's events, a ranking the
     * scheduler recorded against the train job) and a job outside any workflow; rows recorded at T0 + n hours.
     */
    @BeforeEach
    void tenantWithAHistory() {
        Response created = as(key).contentType(ContentType.JSON).body("{\"template\":\"train-then-evaluate\",\"train\":"
                + "{\"modelId\":\"sd15\",\"datasetId\":\"alice\",\"steps\":30,\"checkpointEvery\":10}}").post("/api/v1/workflows");
        created.then().statusCode(202);
        workflow = UUID.fromString(created.jsonPath().getString("id"));
        trainJob = (UUID) db.row("SELECT id FROM jobs WHERE workflow_id = ?", workflow).get("id");
        evaluateJob = UUID.randomUUID();
        db.update("INSERT INTO jobs (id, tenant_id, kind, status, spec, submitted_by, workflow_id, workflow_step)"
                + " VALUES (?, ?, 'evaluate', 'RUNNING', '{}'::jsonb, 'scheduler', ?, 'evaluate')",
                evaluateJob, key.tenant(), workflow);
        standaloneJob = submitted(key, Requests.train());
        record(evaluateJob, null, "dev.tuneforge.job.started", 1);
        record(standaloneJob, null, "dev.tuneforge.job.started", 2);
        record(evaluateJob, null, "dev.tuneforge.job.succeeded", 3);
        record(trainJob, workflow, "dev.tuneforge.workflow.ranked", 4);
    }

    /** A row as the scheduler writes it, recorded at T0 + {@code hours}. */
    private void record(UUID job, UUID workflowOfRow, String type, int hours) {
        db.update("INSERT INTO job_events (event_id, job_id, workflow_id, type, attempt, source, occurred_at,"
                + " recorded_at, cause, payload) VALUES (?, ?, ?, ?, 1, '/tuneforge/scheduler', ?, ?, 'event:x',"
                + " '{\"n\":" + hours + "}'::jsonb)", UUID.randomUUID(), job, workflowOfRow, type,
                Timestamp.from(T0.plusSeconds(hours * 3600L)), Timestamp.from(T0.plusSeconds(hours * 3600L)));
    }

    private Response audit(TestKeys.Key caller, Object... params) {
        RequestSpecification request = as(caller);
        for (int i = 0; i < params.length; i += 2) {
            request = request.queryParam((String) params[i], params[i + 1]);
        }
        Response response = request.get(AUDIT);
        response.then().statusCode(200);
        return response;
    }

    private List<String> types(Object... params) {
        return audit(key, params).jsonPath().getList("items.type", String.class);
    }

    @Test
    void aCursorNeverMovesPastARowThatCommitsLater() throws Exception {
        try (Connection slow = DriverManager.getConnection(jdbcUrl, user, password);
                Connection observer = DriverManager.getConnection(jdbcUrl, user, password)) {
            slow.setAutoCommit(false);
            try (PreparedStatement insert = slow.prepareStatement("INSERT INTO job_events (event_id, job_id, type,"
                    + " source, payload) VALUES (?, ?, 'dev.tuneforge.test.slow', 'test', '{}'::jsonb)")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setObject(2, standaloneJob);
                insert.executeUpdate();
            }
            // Committed at once, with a higher seq than the row still in flight.
            record(standaloneJob, null, "dev.tuneforge.test.fast", 5);
            CompletableFuture<Response> page = CompletableFuture.supplyAsync(
                    () -> audit(key, "jobId", standaloneJob, "type", "dev.tuneforge.test.*"));
            await("the reader waits for the open writer").atMost(Duration.ofSeconds(60))
                    .until(() -> waitsForAnAdvisoryLock(observer));
            slow.commit();

            assertThat(page.get(60, TimeUnit.SECONDS).jsonPath().getList("items.type", String.class))
                    .containsExactly("dev.tuneforge.test.slow", "dev.tuneforge.test.fast");
        }
    }

    /** Whether some backend waits for an advisory lock (asked from an autocommit connection: a fresh snapshot each time). */
    private static boolean waitsForAnAdvisoryLock(Connection observer) throws SQLException {
        try (PreparedStatement query = observer.prepareStatement(
                "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'");
                ResultSet rows = query.executeQuery()) {
            return rows.next();
        }
    }

    @Test
    void everyRowOfTheTenantInLogOrderWithItsWorkflow() {
        Response all = audit(key);

        assertThat(all.jsonPath().getList("items.type", String.class)).containsExactly(
                "dev.tuneforge.workflow.submitted", "dev.tuneforge.job.requested", "dev.tuneforge.job.requested",
                "dev.tuneforge.job.started", "dev.tuneforge.job.started", "dev.tuneforge.job.succeeded",
                "dev.tuneforge.workflow.ranked");
        assertThat(all.jsonPath().getList("items.seq", Long.class)).isSorted().doesNotHaveDuplicates();
        List<Map<String, Object>> items = all.jsonPath().getList("items");
        assertThat(items.get(0)).containsEntry("jobId", null).containsEntry("workflowId", workflow.toString())
                .containsEntry("cause", "user:" + key.name());
        assertThat(items.get(1)).as("a job's row names its job's workflow")
                .containsEntry("jobId", trainJob.toString()).containsEntry("workflowId", workflow.toString());
        assertThat(items.get(2)).containsEntry("jobId", standaloneJob.toString()).containsEntry("workflowId", null);
        assertThat(items.get(6)).containsEntry("occurredAt", "2030-01-01T04:00:00Z")
                .containsEntry("recordedAt", "2030-01-01T04:00:00Z").containsKeys("eventId", "attempt", "stale", "source");
        assertThat(all.jsonPath().getInt("items[6].payload.n")).isEqualTo(4);
        assertThat(all.jsonPath().getString("next")).isNull();
    }

    @Test
    void eachFilterAloneAndCombined() {
        assertThat(types("workflowId", workflow)).containsExactly("dev.tuneforge.workflow.submitted",
                "dev.tuneforge.job.requested", "dev.tuneforge.job.started", "dev.tuneforge.job.succeeded",
                "dev.tuneforge.workflow.ranked");
        assertThat(audit(key, "jobId", standaloneJob).jsonPath().getList("items.jobId", String.class))
                .containsExactly(standaloneJob.toString(), standaloneJob.toString());
        assertThat(audit(key, "type", "dev.tuneforge.job.requested").jsonPath().getList("items.jobId", String.class))
                .containsExactly(trainJob.toString(), standaloneJob.toString());
        assertThat(types("type", "dev.tuneforge.workflow.*"))
                .containsExactly("dev.tuneforge.workflow.submitted", "dev.tuneforge.workflow.ranked");
        assertThat(types("type", "dev.tuneforge.workflow.ranked", "type", "dev.tuneforge.job.succ*"))
                .containsExactly("dev.tuneforge.job.succeeded", "dev.tuneforge.workflow.ranked");
        assertThat(audit(key, "from", "2030-01-01T02:00:00Z").jsonPath().getList("items.payload.n", Integer.class))
                .containsExactly(2, 3, 4);
        assertThat(audit(key, "to", "2030-01-01T02:00:00Z").jsonPath().getList("items.type", String.class))
                .as("the API's rows, recorded now (before T0), and hour 1").containsExactly(
                        "dev.tuneforge.workflow.submitted", "dev.tuneforge.job.requested", "dev.tuneforge.job.requested",
                        "dev.tuneforge.job.started");
        assertThat(audit(key, "from", "2030-01-01T01:00:00Z", "to", "2030-01-01T03:00:00Z")
                .jsonPath().getList("items.payload.n", Integer.class)).containsExactly(1, 2);

        assertThat(audit(key, "workflowId", workflow, "type", "dev.tuneforge.job.*", "from", "2030-01-01T02:00:00Z")
                .jsonPath().getList("items.payload.n", Integer.class)).containsExactly(3);
        assertThat(types("jobId", evaluateJob, "type", "dev.tuneforge.job.started"))
                .containsExactly("dev.tuneforge.job.started");
        assertThat(types("jobId", standaloneJob, "workflowId", workflow)).isEmpty();
        assertThat(types("type", "dev.tuneforge.job.cancelled")).isEmpty();
    }

    @Test
    void pagesFollowTheLogWithNoRowLostOrRepeated() {
        for (int i = 0; i < 20; i++) {
            record(standaloneJob, null, "dev.tuneforge.job.progress", 10 + i);
        }
        List<Long> everything = audit(key, "limit", 1000).jsonPath().getList("items.seq", Long.class);
        assertThat(everything).hasSize(27);

        List<Long> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = cursor == null ? audit(key, "limit", 6) : audit(key, "limit", 6, "cursor", cursor);
            List<Long> seqs = page.jsonPath().getList("items.seq", Long.class);
            assertThat(seqs).hasSizeLessThanOrEqualTo(6).isNotEmpty();
            paged.addAll(seqs);
            cursor = page.jsonPath().getString("next");
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(5);
        assertThat(paged).isEqualTo(everything);
        // Filters apply across pages too.
        Response first = audit(key, "type", "dev.tuneforge.job.progress", "limit", 15);
        Response second = audit(key, "type", "dev.tuneforge.job.progress", "limit", 15, "cursor",
                first.jsonPath().getString("next"));
        assertThat(first.jsonPath().getList("items.payload.n", Integer.class)).hasSize(15).startsWith(10).endsWith(24);
        assertThat(second.jsonPath().getList("items.payload.n", Integer.class)).containsExactly(25, 26, 27, 28, 29);
        assertThat(second.jsonPath().getString("next")).isNull();
    }

    @Test
    void anotherTenantSeesNoneOfIt() {
        TestKeys.Key other = TestKeys.newTenant(db);
        UUID theirs = submitted(other, Requests.train());

        assertThat(audit(other).jsonPath().getList("items.jobId", String.class)).containsExactly(theirs.toString());
        assertThat(audit(other, "workflowId", workflow).jsonPath().getList("items")).isEmpty();
        assertThat(audit(other, "jobId", trainJob).jsonPath().getList("items")).isEmpty();
        assertThat(audit(key, "jobId", theirs).jsonPath().getList("items")).isEmpty();
    }

    @Test
    void jsonLinesExportStreamsEveryMatchingRowInOrder() throws Exception {
        // More rows than one export page (500), so the export reads on past its first page.
        db.update("INSERT INTO job_events (event_id, job_id, type, attempt, source, cause, payload)"
                + " SELECT gen_random_uuid(), ?, 'dev.tuneforge.job.progress', 1, '/w', 'event:x',"
                + " jsonb_build_object('step', s) FROM generate_series(1, 1100) AS s", standaloneJob);

        Response export = as(key).accept("application/jsonl").get(AUDIT);

        export.then().statusCode(200);
        assertThat(export.contentType()).startsWith("application/jsonl");
        String[] lines = export.asString().split("\n");
        assertThat(lines).hasSize(7 + 1100);
        List<Long> seqs = new ArrayList<>();
        for (String line : lines) {
            seqs.add(JSON.readTree(line).get("seq").asLong());
        }
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        assertThat(JSON.readTree(lines[0]).get("type").asText()).isEqualTo("dev.tuneforge.workflow.submitted");
        assertThat(JSON.readTree(lines[lines.length - 1]).get("payload").get("step").asInt()).isEqualTo(1100);

        Response filtered = as(key).accept("application/x-ndjson").queryParam("workflowId", workflow)
                .queryParam("type", "dev.tuneforge.workflow.*").get(AUDIT);
        filtered.then().statusCode(200);
        assertThat(filtered.contentType()).startsWith("application/jsonl");
        assertThat(filtered.asString().split("\n")).hasSize(2);
        assertThat(as(key).accept("application/jsonl").queryParam("jobId", UUID.randomUUID()).get(AUDIT).asString())
                .isEmpty();
        assertThat(as(key).accept("application/json").get(AUDIT).contentType()).startsWith("application/json");
    }

    @Test
    void eachBadParameterIsNamed() {
        assertBad("workflowId", "workflowId", "nope");
        assertBad("jobId", "jobId", "1-2-3-4-5");
        assertBad("from", "from", "yesterday");
        assertBad("to", "to", "2030-01-01");
        assertBad("from", "from", "2030-01-02T00:00:00Z", "to", "2030-01-01T00:00:00Z");
        assertBad("from", "from", "2030-01-01T00:00:00Z", "to", "2030-01-01T00:00:00Z");
        assertBad("limit", "limit", 0);
        assertBad("limit", "limit", 1001);
        assertBad("limit", "limit", "ten");
        assertBad("cursor", "cursor", "not-a-cursor!");
        // A cursor of the job list is not an audit cursor.
        assertBad("cursor", "cursor", as(key).queryParam("limit", 1).get(JOBS).jsonPath().getString("next"));
        assertBad("type", "type", "dev.*.started");
        assertBad("type", "type", " ");

        Response both = as(key).queryParam("jobId", "x").queryParam("to", "soon").get(AUDIT);
        ProblemAssertions.assertProblem(both, 400);
        assertThat(both.jsonPath().getList("errors.field", String.class)).containsExactlyInAnyOrder("jobId", "to");
        Response exportWithLimit = as(key).accept("application/jsonl").queryParam("limit", 5).get(AUDIT);
        ProblemAssertions.assertFieldError(exportWithLimit, "limit");
    }

    private void assertBad(String field, Object... params) {
        RequestSpecification request = as(key);
        for (int i = 0; i < params.length; i += 2) {
            request = request.queryParam((String) params[i], params[i + 1]);
        }
        ProblemAssertions.assertFieldError(request.get(AUDIT), field);
    }
}
