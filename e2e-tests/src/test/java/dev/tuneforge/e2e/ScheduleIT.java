package dev.tuneforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cron schedule with two scheduler processes in one Quartz cluster: every tick starts exactly one
 * workflow, whichever instance fires it, and no instance ever fires a tick the other already did.
 */
class ScheduleIT extends DemoPlatformIT {

    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final int TICKS = 5;

    @BeforeAll
    void secondScheduler() {
        platform.startScheduler();
    }

    @Test
    void twoSchedulerInstancesStartExactlyOneWorkflowPerTick() {
        String name = "every-2s-" + UUID.randomUUID();
        // A one-step general workflow: a 1-step render of the tiny model, cheap enough to start every 2 s.
        Map<String, Object> workflow = Map.of("steps", List.of(Map.of("id", "render", "kind", "generate",
                "spec", Map.of("modelId", DemoJobs.MODEL, "sampling", DemoJobs.sampling(1, 5)))));
        String id = api.request().contentType(ContentType.JSON)
                .body(Map.of("name", name, "cron", "0/2 * * * * ?", "timeZone", "Europe/Berlin", "misfirePolicy", "skip",
                        "workflow", workflow))
                .post("/api/v1/schedules").then().statusCode(201).extract().path("id");

        await("ticks of schedule " + id).atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                .until(() -> schedule(id).getList("recentWorkflows").size() >= TICKS);
        api.request().contentType(ContentType.JSON).body(Map.of("enabled", false)).patch("/api/v1/schedules/" + id)
                .then().statusCode(200);

        // A tick that read the schedule just before the PATCH may still commit: wait until the audit log and the
        // instances' logs agree on what was started, which they do once the last tick settled.
        List<JsonPath> starts = await("ticks of schedule " + id + " settled").atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(500)).until(() -> submittedBy(id), rows -> rows.size() == fired(id));
        List<String> ticks = starts.stream().map(row -> row.getString("cause")).toList();
        assertThat(ticks).as("workflows started, one row per tick").hasSizeGreaterThanOrEqualTo(TICKS).doesNotHaveDuplicates()
                .allMatch(cause -> cause.startsWith("timer:schedule/" + id + "@"));
        assertThat(ticks.stream().map(ScheduleIT::tickOf).map(t -> t.getEpochSecond() % 2)).as("ticks of 0/2 * * * * ?")
                .containsOnly(0L);
        assertThat(starts.stream().map(row -> row.getString("workflowId"))).doesNotHaveDuplicates();
        System.out.println("ticks of schedule " + id + " fired per scheduler log: " + platform.schedulerLogs().stream()
                .collect(Collectors.toMap(Function.identity(), log -> count(log, "schedule " + id + " ('", " started workflow "))));
        assertThat(platform.schedulerLogs()).as("no instance fired a tick twice")
                .allSatisfy(log -> assertThat(count(log, "schedule " + id + " tick", "already started")).isZero());

        for (JsonPath start : starts) {
            String workflowId = start.getString("workflowId");
            String status = await("workflow " + workflowId).atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                    .until(() -> api.request().get("/api/v1/workflows/" + workflowId).then().statusCode(200).extract()
                            .jsonPath().getString("status"), Api.TERMINAL::contains);
            assertThat(status).as("workflow " + workflowId).isEqualTo("SUCCEEDED");
        }
    }

    /** Workflows the schedule started, by both instances' logs together. */
    private long fired(String id) {
        return platform.schedulerLogs().stream().mapToLong(log -> count(log, "schedule " + id + " ('", " started workflow "))
                .sum();
    }

    private JsonPath schedule(String id) {
        return api.request().get("/api/v1/schedules/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** The audit rows of the workflows the schedule started, as the JSON Lines export gives them. */
    private List<JsonPath> submittedBy(String scheduleId) {
        String lines = api.request().accept("application/jsonl").queryParam("type", "dev.tuneforge.workflow.submitted")
                .get("/api/v1/audit").then().statusCode(200).extract().asString();
        return lines.lines().filter(line -> !line.isBlank()).map(JsonPath::from)
                .filter(row -> String.valueOf(row.getString("cause")).startsWith("timer:schedule/" + scheduleId + "@"))
                .toList();
    }

    private static Instant tickOf(String cause) {
        return Instant.parse(cause.substring(cause.indexOf('@') + 1));
    }

    /** Lines of {@code log} that contain both strings. */
    private static long count(Path log, String first, String second) {
        try {
            return Files.readAllLines(log).stream().filter(line -> line.contains(first) && line.contains(second)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
