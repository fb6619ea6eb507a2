package dev.tuneforge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.api.testing.ApiTest;
import dev.tuneforge.api.testing.ProblemAssertions;
import dev.tuneforge.api.testing.TestKeys;
import dev.tuneforge.infra.test.TuneForgeInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** /api/v1/schedules: cron schedules of workflows, checked as the workflow API checks its workflows. */
@QuarkusTest
@WithTestResource(TuneForgeInfraResource.class)
class SchedulesTest extends ApiTest {
    private static final String SCHEDULES = "/api/v1/schedules";
    private static final String WORKFLOW = "{'template':'train-then-evaluate','train':{'modelId':'sd15','datasetId':"
            + "'alice','steps':30,'checkpointEvery':10}}";

    private Response post(TestKeys.Key caller, String body) {
        return as(caller).contentType(ContentType.JSON).body(body.replace('\'', '"')).post(SCHEDULES);
    }

    private UUID created(String fields) {
        Response response = post(key, "{" + fields + ",'workflow':" + WORKFLOW + "}");
        response.then().statusCode(201);
        return UUID.fromString(response.jsonPath().getString("id"));
    }

    private long schedulesOfTenant() {
        return db.count("SELECT count(*) FROM schedules WHERE tenant_id = ?", key.tenant());
    }

    @Test
    void aScheduleIsStoredAndShownWithItsNextFireTimesInItsZone() throws Exception {
        Response response = post(key, "{'name':'nightly','cron':'0 0 3 * * ?','timeZone':'Europe/Berlin',"
                + "'misfirePolicy':'skip','workflow':" + WORKFLOW + "}");

        response.then().statusCode(201);
        UUID id = UUID.fromString(response.jsonPath().getString("id"));
        assertThat(response.header("Location")).endsWith(SCHEDULES + "/" + id);
        assertThat(response.jsonPath().getMap("")).containsEntry("name", "nightly").containsEntry("cron", "0 0 3 * * ?")
                .containsEntry("timeZone", "Europe/Berlin").containsEntry("misfirePolicy", "skip")
                .containsEntry("enabled", true).containsEntry("createdBy", key.name());
        assertThat(response.jsonPath().getString("workflow.train.modelId")).isEqualTo("sd15");
        List<Instant> next = response.jsonPath().getList("nextFireTimes", String.class).stream().map(Instant::parse)
                .toList();
        assertThat(next).hasSize(3).isSorted().allSatisfy(t -> {
            assertThat(t).isAfter(Instant.now().minusSeconds(5));
            ZonedDateTime local = t.atZone(ZoneId.of("Europe/Berlin"));
            assertThat(local.getHour()).isEqualTo(3);
            assertThat(local.getMinute()).isZero();
        });
        assertThat(response.jsonPath().getList("recentWorkflows")).isEmpty();

        Map<String, Object> row = db.row("SELECT cron, time_zone, misfire_policy, enabled, workflow::text AS workflow"
                + " FROM schedules WHERE id = ?", id);
        assertThat(row).containsEntry("time_zone", "Europe/Berlin").containsEntry("misfire_policy", "SKIP")
                .containsEntry("enabled", true);
        assertThat(JSON.readTree((String) row.get("workflow"))).isEqualTo(JSON.readTree(WORKFLOW.replace('\'', '"')));
        assertThat(as(key).get(SCHEDULES + "/" + id).jsonPath().getString("name")).isEqualTo("nightly");
    }

    @Test
    void defaultsAreUtcFireOnceAndEnabled() {
        UUID id = created("'name':'hourly','cron':'0 0 * * * ?'");

        Response view = as(key).get(SCHEDULES + "/" + id);

        assertThat(view.jsonPath().getMap("")).containsEntry("timeZone", "UTC")
                .containsEntry("misfirePolicy", "fire_once").containsEntry("enabled", true);
        assertThat(db.row("SELECT misfire_policy FROM schedules WHERE id = ?", id))
                .containsEntry("misfire_policy", "FIRE_ONCE");
    }

    @Test
    void theViewListsTheLatestTenWorkflowsItStartedAndDeleteKeepsThem() {
        UUID id = created("'name':'every minute','cron':'0 * * * * ?'");
        Instant tick = Instant.parse("2026-01-01T00:00:00Z");
        List<UUID> started = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            UUID workflow = UUID.randomUUID();
            db.update("INSERT INTO workflows (id, tenant_id, spec, status, policy, created_by, schedule_id, scheduled_for)"
                    + " VALUES (?, ?, '{}'::jsonb, 'SUCCEEDED', '{}'::jsonb, 'scheduler', ?, ?)", workflow, key.tenant(),
                    id, Timestamp.from(tick.plusSeconds(60L * i)));
            started.add(0, workflow);
        }

        Response view = as(key).get(SCHEDULES + "/" + id);

        assertThat(view.jsonPath().getList("recentWorkflows", String.class))
                .containsExactlyElementsOf(started.subList(0, 10).stream().map(UUID::toString).toList());
        Response latest = as(key).get("/api/v1/workflows/" + started.get(0));
        latest.then().statusCode(200);
        assertThat(latest.jsonPath().getString("scheduleId")).as("a workflow names the schedule that started it")
                .isEqualTo(id.toString());
        assertThat(latest.jsonPath().getString("scheduledFor")).isEqualTo("2026-01-01T00:11:00Z");

        as(key).delete(SCHEDULES + "/" + id).then().statusCode(204);
        ProblemAssertions.assertProblem(as(key).get(SCHEDULES + "/" + id), 404);
        assertThat(db.count("SELECT count(*) FROM workflows WHERE id = ANY(?) AND schedule_id IS NULL",
                (Object) started.toArray(new UUID[0]))).isEqualTo(12);
        Response orphan = as(key).get("/api/v1/workflows/" + started.get(0));
        assertThat(orphan.jsonPath().getString("scheduleId")).isNull();
        assertThat(orphan.jsonPath().getString("scheduledFor")).as("the tick stays").isEqualTo("2026-01-01T00:11:00Z");
        ProblemAssertions.assertProblem(as(key).delete(SCHEDULES + "/" + id), 404);
    }

    @Test
    void patchSwitchesEnabledAndNothingElse() {
        UUID id = created("'name':'nightly','cron':'0 0 3 * * ?'");
        String path = SCHEDULES + "/" + id;

        Response off = as(key).contentType(ContentType.JSON).body("{\"enabled\":false}").patch(path);

        off.then().statusCode(200);
        assertThat(off.jsonPath().getBoolean("enabled")).isFalse();
        assertThat(off.jsonPath().getList("nextFireTimes")).isEmpty();
        assertThat(db.row("SELECT enabled, version FROM schedules WHERE id = ?", id))
                .containsEntry("enabled", false).containsEntry("version", 1L);
        Response on = as(key).contentType("application/merge-patch+json").body("{\"enabled\":true}").patch(path);
        on.then().statusCode(200);
        assertThat(on.jsonPath().getList("nextFireTimes")).hasSize(3);

        ProblemAssertions.assertFieldError(as(key).contentType(ContentType.JSON).body("{\"cron\":\"0 0 4 * * ?\"}")
                .patch(path), "body");
        ProblemAssertions.assertFieldError(as(key).contentType(ContentType.JSON).body("{\"enabled\":\"no\"}")
                .patch(path), "enabled");
        assertThat(db.row("SELECT cron FROM schedules WHERE id = ?", id)).containsEntry("cron", "0 0 3 * * ?");
    }

    @Test
    void listIsNewestFirstWithACursorAndAnotherTenantSeesNothing() {
        UUID first = created("'name':'a','cron':'0 0 1 * * ?'");
        UUID second = created("'name':'b','cron':'0 0 2 * * ?'");
        UUID third = created("'name':'c','cron':'0 0 3 * * ?'");

        Response page1 = as(key).queryParam("limit", 2).get(SCHEDULES);
        assertThat(page1.jsonPath().getList("items.id", String.class))
                .containsExactly(third.toString(), second.toString());
        Response page2 = as(key).queryParam("limit", 2).queryParam("cursor", page1.jsonPath().getString("next"))
                .get(SCHEDULES);
        assertThat(page2.jsonPath().getList("items.id", String.class)).containsExactly(first.toString());
        assertThat(page2.jsonPath().getString("next")).isNull();

        TestKeys.Key other = TestKeys.newTenant(db);
        assertThat(as(other).get(SCHEDULES).jsonPath().getList("items")).isEmpty();
        ProblemAssertions.assertProblem(as(other).get(SCHEDULES + "/" + first), 404);
        ProblemAssertions.assertProblem(as(other).contentType(ContentType.JSON).body("{\"enabled\":false}")
                .patch(SCHEDULES + "/" + first), 404);
        ProblemAssertions.assertProblem(as(other).delete(SCHEDULES + "/" + first), 404);
        ProblemAssertions.assertProblem(as(key).get(SCHEDULES + "/not-a-uuid"), 404);
        assertThat(db.row("SELECT enabled FROM schedules WHERE id = ?", first)).containsEntry("enabled", true);
    }

    private void assertBad(String fields, String field, String messagePart) {
        Response response = post(key, "{'name':'n'," + fields + "}");
        assertThat(ProblemAssertions.assertFieldError(response, field)).containsIgnoringCase(messagePart);
    }

    @Test
    void eachBadFieldIsNamedAndNothingIsStored() {
        String ok = ",'workflow':" + WORKFLOW;
        assertBad("'cron':'0 0 3 * *'" + ok, "cron", "6 or 7 fields");
        assertBad("'cron':'0 0 25 * * ?'" + ok, "cron", "not a valid Quartz cron");
        assertBad("'cron':'0 0 3 * * *'" + ok, "cron", "not a valid Quartz cron");
        assertBad("'cron':'0 0 3 * * ? 2020'" + ok, "cron", "never fires again");
        assertBad(ok.substring(1), "cron", "required");
        assertBad("'cron':'0 0 3 * * ?','timeZone':'Mars/Olympus'" + ok, "timeZone", "unknown time zone");
        assertBad("'cron':'0 0 3 * * ?','timeZone':'EST'" + ok, "timeZone", "abbreviation");
        assertBad("'cron':'0 0 3 * * ?','timeZone':'PST'" + ok, "timeZone", "America/Los_Angeles");
        assertBad("'cron':'0 0 3 * * ?','misfirePolicy':'later'" + ok, "misfirePolicy", "fire_once");
        assertBad("'cron':'0 0 3 * * ?','enabled':'yes'" + ok, "enabled", "true or false");
        assertBad("'cron':'0 0 3 * * ?','every':'day'" + ok, "every", "unknown field");
        assertBad("'cron':'0 0 3 * * ?'", "workflow", "POST /api/v1/workflows");
        assertBad("'cron':'0 0 3 * * ?','workflow':{'template':'train-then-evaluate','train':{'modelId':'sd15',"
                + "'datasetId':'alice'},'policy':{'objective':'vibes'}}", "workflow.policy.objective", "");
        assertBad("'cron':'0 0 3 * * ?','workflow':{'steps':[{'id':'t','kind':'train','spec':{'modelId':'sd15',"
                + "'datasetId':'alice'}},{'id':'e','kind':'evaluate','spec':{'modelId':'sd15','datasetId':'alice'},"
                + "'dependsOn':['nope']}]}", "workflow.steps[1].dependsOn[0]", "");
        assertBad("'cron':'0 0 3 * * ?','workflow':{'template':'train-then-evaluate','train':{'modelId':'sd15',"
                + "'datasetId':'alice','steps':0}}", "workflow.train.steps", "");

        Response wrongTypes = post(key, "{'name':7,'cron':30" + ok + "}");
        assertThat(wrongTypes.jsonPath().getList("errors.field", String.class)).as("one finding per field")
                .containsExactlyInAnyOrder("name", "cron");
        assertThat(wrongTypes.jsonPath().getList("errors.message", String.class))
                .allMatch(message -> message.startsWith("must be a string"));

        Response everything = post(key, "{'cron':'bad','timeZone':'EST','misfirePolicy':'x'}");
        ProblemAssertions.assertProblem(everything, 400);
        assertThat(everything.jsonPath().getList("errors.field", String.class))
                .containsExactlyInAnyOrder("name", "cron", "timeZone", "misfirePolicy", "workflow");

        Response unknownModel = post(key, "{'name':'n','cron':'0 0 3 * * ?','workflow':{'template':'train-then-evaluate',"
                + "'train':{'modelId':'nope','datasetId':'alice'}}}");
        ProblemAssertions.assertProblem(unknownModel, 422);
        assertThat(unknownModel.jsonPath().getList("errors.field", String.class))
                .containsExactly("workflow.train.modelId");
        assertThat(schedulesOfTenant()).isZero();
    }
}
