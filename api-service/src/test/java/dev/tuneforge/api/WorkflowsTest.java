package dev.tuneforge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.api.testing.ApiTest;
import dev.tuneforge.api.testing.ProblemAssertions;
import dev.tuneforge.api.testing.TestKeys;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.events.TypedEvent;
import dev.tuneforge.common.jobs.EvaluateSpec;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.common.workflows.WorkflowSpec;
import dev.tuneforge.infra.test.TuneForgeInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** POST/GET /api/v1/workflows: one transaction writes the workflow, its steps and its first job; bad input is named. */
@QuarkusTest
@WithTestResource(TuneForgeInfraResource.class)
class WorkflowsTest extends ApiTest {
    private static final String WORKFLOWS = "/api/v1/workflows";
    private static final String TRAIN = "{'modelId':'sd15','datasetId':'alice','steps':30,'checkpointEvery':10}";

    private Response post(TestKeys.Key caller, String body) {
        return as(caller).contentType(ContentType.JSON).body(body.replace('\'', '"')).post(WORKFLOWS);
    }

    private long workflowsOfTenant() {
        return db.count("SELECT count(*) FROM workflows WHERE tenant_id = ?", key.tenant());
    }

    private List<String> badFields(String body, int status) {
        Response response = post(key, body);
        ProblemAssertions.assertProblem(response, status);
        return response.jsonPath().getList("errors.field", String.class);
    }

    @Test
    void aTemplateWorkflowIsWrittenWithItsStepsAndTheTrainJobInOneGo() throws Exception {
        Response response = post(key, "{'template':'train-then-evaluate','train':" + TRAIN
                + ",'evaluation':{'prompts':['a','b','c'],'steps':5},'policy':{'constraints':{'maxFaceless':1}},"
                + "'generate':{'seed':9}}");

        response.then().statusCode(202);
        UUID id = UUID.fromString(response.jsonPath().getString("id"));
        assertThat(response.header("Location")).endsWith(WORKFLOWS + "/" + id);
        assertThat(response.jsonPath().getString("status")).isEqualTo("RUNNING");
        assertThat(response.jsonPath().getList("steps.id", String.class)).containsExactly("train", "evaluate", "generate");
        assertThat(response.jsonPath().getList("steps.status", String.class)).containsExactly("RUNNING", "PENDING", "PENDING");
        assertThat(response.jsonPath().getString("steps[1].forEach")).isEqualTo("checkpoints of train");
        assertThat(response.jsonPath().getString("policy.objective")).isEqualTo("face_distance");

        Map<String, Object> train = db.row("SELECT id, kind, status, workflow_step FROM jobs WHERE workflow_id = ?", id);
        assertThat(train).containsEntry("kind", "train").containsEntry("workflow_step", "train");
        assertThat(train.get("status")).isIn("SUBMITTED", "QUEUED");
        UUID trainJob = (UUID) train.get("id");
        assertThat(response.jsonPath().getString("steps[0].jobs[0].id")).isEqualTo(trainJob.toString());
        TypedEvent<?> command = CODEC.decode((byte[]) db.row("SELECT payload FROM outbox WHERE job_id = ?", trainJob)
                .get("payload"));
        assertThat(command.type()).isEqualTo(EventType.JOB_REQUESTED);
        assertThat(((TrainSpec) ((JobCommand) command.data()).spec()).steps()).isEqualTo(30);
        assertThat(db.count("SELECT count(*) FROM job_events WHERE job_id = ? AND type = ?", trainJob,
                "dev.tuneforge.job.requested")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM workflow_steps WHERE workflow_id = ?", id)).isEqualTo(3);

        WorkflowSpec stored = JSON.readValue((String) db.row("SELECT spec::text AS spec FROM workflows WHERE id = ?", id)
                .get("spec"), WorkflowSpec.class);
        assertThat(((EvaluateSpec) stored.step("evaluate").orElseThrow().spec()).sampling().prompts())
                .containsExactly("a", "b", "c");
        assertThat(stored.policy().constraints().maxFaceless()).isEqualTo(1);
    }

    @Test
    void aRetriedSubmissionWithTheSameIdempotencyKeyStartsOneWorkflowAndADifferentBodyIsRefused() {
        String body = "{'template':'train-then-evaluate','train':" + TRAIN + "}";
        String reordered = "{'train':" + TRAIN + ",'template':'train-then-evaluate'}";
        Response first = as(key).header("Idempotency-Key", "wf-1").contentType(ContentType.JSON)
                .body(body.replace('\'', '"')).post(WORKFLOWS);
        Response retry = as(key).header("Idempotency-Key", "wf-1").contentType(ContentType.JSON)
                .body(reordered.replace('\'', '"')).post(WORKFLOWS);

        first.then().statusCode(202);
        retry.then().statusCode(200);
        String id = first.jsonPath().getString("id");
        assertThat(retry.jsonPath().getString("id")).isEqualTo(id);
        assertThat(retry.header("Location")).endsWith(WORKFLOWS + "/" + id);
        assertThat(workflowsOfTenant()).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM jobs WHERE workflow_id = ?", UUID.fromString(id))).as("one train job").isEqualTo(1);

        Response conflict = as(key).header("Idempotency-Key", "wf-1").contentType(ContentType.JSON)
                .body(body.replace("'steps':30", "'steps':40").replace('\'', '"')).post(WORKFLOWS);
        ProblemAssertions.assertProblem(conflict, 409);
        assertThat(conflict.jsonPath().getString("workflowId")).isEqualTo(id);
        assertThat(conflict.jsonPath().getString("detail")).contains("'wf-1'", "workflow " + id);
        assertThat(workflowsOfTenant()).isEqualTo(1);
        assertThat(post(key, body).then().extract().statusCode()).as("no key: a new workflow").isEqualTo(202);
    }

    @Test
    void theViewShowsTheTrainCheckpointsWithTheirMetricsAndTheBest() {
        Response created = post(key, "{'template':'train-then-evaluate','train':" + TRAIN + "}");
        UUID id = UUID.fromString(created.jsonPath().getString("id"));
        UUID trainJob = (UUID) db.row("SELECT id FROM jobs WHERE workflow_id = ?", id).get("id");
        db.update("INSERT INTO checkpoints (job_id, step, location, metrics) VALUES (?, 10, 's3://c/10', "
                + "'{\"faceDistance\":0.4,\"clipScore\":0.3,\"faceless\":0,\"images\":3}'::jsonb)", trainJob);
        db.update("INSERT INTO checkpoints (job_id, step, location) VALUES (?, 20, 's3://c/20')", trainJob);
        db.update("UPDATE workflows SET ranking = '[{\"step\":10,\"rank\":1}]'::jsonb, best_step = 10,"
                + " best_location = 's3://c/best' WHERE id = ?", id);

        Response view = as(key).get(WORKFLOWS + "/" + id);

        view.then().statusCode(200);
        assertThat(view.jsonPath().getList("checkpoints.step", Integer.class)).containsExactly(10, 20);
        assertThat(view.jsonPath().getFloat("checkpoints[0].metrics.faceDistance")).isEqualTo(0.4f);
        assertThat(view.jsonPath().getObject("checkpoints[1].metrics", Object.class)).isNull();
        assertThat(view.jsonPath().getInt("best.step")).isEqualTo(10);
        assertThat(view.jsonPath().getString("best.location")).isEqualTo("s3://c/best");
        assertThat(view.jsonPath().getInt("ranking[0].step")).isEqualTo(10);
    }

    @Test
    void aCycleAnUnknownDependsOnAndAnUnknownObjectiveAreNamedAndNothingIsWritten() {
        String evaluate = "'kind':'evaluate','spec':{'modelId':'sd15','datasetId':'alice'}";
        List<String> cycle = badFields("{'steps':[{'id':'t','kind':'train','spec':" + TRAIN + ",'dependsOn':['e']},"
                + "{'id':'e'," + evaluate + ",'dependsOn':['t']}]}", 400);
        assertThat(cycle).singleElement().asString().matches("steps\\[\\d]\\.dependsOn");
        assertThat(badFields("{'steps':[{'id':'t','kind':'train','spec':" + TRAIN + "},"
                + "{'id':'e'," + evaluate + ",'dependsOn':['nope']}]}", 400)).containsExactly("steps[1].dependsOn[0]");
        assertThat(badFields("{'template':'train-then-evaluate','train':" + TRAIN + ",'policy':{'objective':'vibes'}}",
                400)).containsExactly("policy.objective");
        assertThat(badFields("{'template':'train-then-evaluate','train':{'modelId':'sd15','datasetId':'alice',"
                + "'steps':0}}", 400)).containsExactly("train.steps");
        assertThat(badFields("[1]", 400)).containsExactly("body");
        assertThat(badFields("{'template':'train-then-evaluate','train':" + TRAIN + ",'steps':[]}", 400))
                .containsExactly("steps");
        Response malformed = post(key, "{'template':");
        ProblemAssertions.assertProblem(malformed, 400);
        assertThat(malformed.jsonPath().getString("type")).isEqualTo("urn:tuneforge:problem:malformed-json");
        assertThat(workflowsOfTenant()).isZero();
    }

    @Test
    void anUnknownModelOrDatasetIsNamedWhereTheRequestWroteIt() {
        assertThat(badFields("{'template':'train-then-evaluate','train':{'modelId':'nope','datasetId':'alice'}}", 422))
                .containsExactly("train.modelId");
        assertThat(badFields("{'steps':[{'id':'t','kind':'train','spec':" + TRAIN + "},{'id':'e','kind':'evaluate',"
                + "'spec':{'modelId':'sd15','datasetId':'gone'},'dependsOn':['t'],'forEach':'checkpoints of t'}]}", 422))
                .containsExactly("steps[1].spec.datasetId");
        assertThat(workflowsOfTenant()).isZero();
        assertThat(db.count("SELECT count(*) FROM jobs WHERE tenant_id = ?", key.tenant())).isZero();
    }

    private UUID started() {
        Response response = post(key, "{'template':'train-then-evaluate','train':" + TRAIN + "}");
        response.then().statusCode(202);
        return UUID.fromString(response.jsonPath().getString("id"));
    }

    @Test
    void listIsNewestFirstWithACursorAndAStatusFilter() {
        UUID first = started();
        UUID second = started();
        UUID third = started();
        db.update("UPDATE workflows SET status = 'SUCCEEDED', best_step = 20, best_location = 's3://b' WHERE id = ?", first);

        Response page1 = as(key).queryParam("limit", 2).get(WORKFLOWS);
        page1.then().statusCode(200);
        assertThat(page1.jsonPath().getList("items.id", String.class)).containsExactly(third.toString(), second.toString());
        Response page2 = as(key).queryParam("limit", 2).queryParam("cursor", page1.jsonPath().getString("next"))
                .get(WORKFLOWS);
        assertThat(page2.jsonPath().getList("items.id", String.class)).containsExactly(first.toString());
        assertThat(page2.jsonPath().getInt("items[0].bestStep")).isEqualTo(20);
        assertThat(page2.jsonPath().getString("next")).isNull();

        assertThat(as(key).queryParam("status", "SUCCEEDED").get(WORKFLOWS).jsonPath().getList("items.id", String.class))
                .containsExactly(first.toString());
        assertThat(as(TestKeys.newTenant(db)).get(WORKFLOWS).jsonPath().getList("items")).isEmpty();
        Response badStatus = as(key).queryParam("status", "DONE").get(WORKFLOWS);
        ProblemAssertions.assertProblem(badStatus, 400);
        assertThat(badStatus.jsonPath().getList("errors.field", String.class)).containsExactly("status");
    }

    @Test
    void cancelEndsEveryUnfinishedJobStartsNothingMoreAndKeepsResults() {
        UUID id = started();
        UUID trainJob = (UUID) db.row("SELECT id FROM jobs WHERE workflow_id = ?", id).get("id");
        db.update("INSERT INTO checkpoints (job_id, step, location, metrics) VALUES (?, 10, 's3://c/10',"
                + " '{\"faceDistance\":0.5}'::jsonb)", trainJob);

        Response response = as(key).post(WORKFLOWS + "/" + id + "/cancel");

        response.then().statusCode(200);
        assertThat(response.jsonPath().getString("status")).isEqualTo("CANCELLED");
        assertThat(response.jsonPath().getString("failureReason")).contains(key.name());
        assertThat(response.jsonPath().getList("steps.status", String.class))
                .containsExactly("CANCELLED", "CANCELLED");
        assertThat(status(trainJob)).isEqualTo("CANCELLED");
        assertThat(db.count("SELECT count(*) FROM job_events WHERE job_id = ? AND type = ?", trainJob,
                "dev.tuneforge.job.cancel-requested")).isEqualTo(1);
        assertThat(response.jsonPath().getList("checkpoints.step", Integer.class)).containsExactly(10);

        Response again = as(key).post(WORKFLOWS + "/" + id + "/cancel");
        ProblemAssertions.assertProblem(again, 409);
        assertThat(again.jsonPath().getString("workflowStatus")).isEqualTo("CANCELLED");
        ProblemAssertions.assertProblem(as(key).post(WORKFLOWS + "/" + UUID.randomUUID() + "/cancel"), 404);
    }

    @Test
    void cancelAsksTheWorkerToStopARunningJobAndLeavesFinishedJobsAlone() {
        UUID id = started();
        UUID trainJob = (UUID) db.row("SELECT id FROM jobs WHERE workflow_id = ?", id).get("id");
        db.update("UPDATE jobs SET status = 'RUNNING', worker_id = 'w1' WHERE id = ?", trainJob);
        UUID doneEvaluation = UUID.randomUUID();
        db.update("INSERT INTO jobs (id, tenant_id, kind, status, spec, submitted_by, workflow_id, workflow_step)"
                + " VALUES (?, ?, 'evaluate', 'SUCCEEDED', '{}'::jsonb, 'scheduler', ?, 'evaluate')",
                doneEvaluation, key.tenant(), id);

        Response response = as(key).post(WORKFLOWS + "/" + id + "/cancel");

        response.then().statusCode(202);
        assertThat(response.jsonPath().getString("status")).isEqualTo("CANCELLED");
        assertThat(status(trainJob)).as("ends when its worker confirms").isEqualTo("RUNNING");
        assertThat(status(doneEvaluation)).isEqualTo("SUCCEEDED");
        assertThat(db.count("SELECT count(*) FROM job_events WHERE job_id = ? AND type = ?", trainJob,
                "dev.tuneforge.job.cancel-requested")).isEqualTo(1);
    }

    @Test
    void submitAndCancelAreTheWorkflowsOwnAuditEntriesAndTheJobTrailStillReads() {
        UUID id = started();
        UUID trainJob = (UUID) db.row("SELECT id FROM jobs WHERE workflow_id = ?", id).get("id");
        as(key).post(WORKFLOWS + "/" + id + "/cancel").then().statusCode(200);

        List<Map<String, Object>> own = db.rows("SELECT type, job_id, cause, payload::text AS payload FROM job_events"
                + " WHERE workflow_id = ? ORDER BY seq", id);
        assertThat(own).extracting(r -> r.get("type"))
                .containsExactly("dev.tuneforge.workflow.submitted", "dev.tuneforge.workflow.cancelled");
        assertThat(own).allSatisfy(r -> assertThat(r).containsEntry("job_id", null)
                .containsEntry("cause", "user:" + key.name()));
        Map<?, ?> submitted = json((String) own.get(0).get("payload"));
        assertThat(submitted.get("template")).isEqualTo("train-then-evaluate");
        assertThat(((List<?>) submitted.get("steps")).stream().map(s -> (Object) ((Map<?, ?>) s).get("id")).toList())
                .containsExactly("train", "evaluate");
        assertThat(json((String) own.get(1).get("payload")).get("reason")).isEqualTo("cancelled by " + key.name());
        // The workflow's rows precede (submit) and follow (cancel) its job's rows in the log.
        long submittedSeq = db.count("SELECT min(seq) FROM job_events WHERE workflow_id = ?", id);
        assertThat(db.count("SELECT min(seq) FROM job_events WHERE job_id = ?", trainJob)).isGreaterThan(submittedSeq);

        Response trail = as(key).get(JOBS + "/" + trainJob + "/events");
        trail.then().statusCode(200);
        assertThat(trail.jsonPath().getList("items.type", String.class)).containsExactly("dev.tuneforge.job.requested",
                "dev.tuneforge.job.cancel-requested", "dev.tuneforge.job.cancelled");
    }

    private static Map<?, ?> json(String text) {
        try {
            return JSON.readValue(text, Map.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(text, e);
        }
    }

    @Test
    void aStepThatNeverRanInAnEndedWorkflowIsSkipped() {
        UUID id = started();
        db.update("UPDATE jobs SET status = 'FAILED', failure_reason = 'out of memory' WHERE workflow_id = ?", id);
        db.update("UPDATE workflows SET status = 'FAILED', failure_reason = 'training failed' WHERE id = ?", id);

        Response view = as(key).get(WORKFLOWS + "/" + id);

        assertThat(view.jsonPath().getString("failureReason")).isEqualTo("training failed");
        assertThat(view.jsonPath().getList("steps.status", String.class)).containsExactly("FAILED", "SKIPPED");
    }

    @Test
    void anotherTenantsWorkflowIsNotFound() {
        UUID id = UUID.fromString(post(key, "{'template':'train-then-evaluate','train':" + TRAIN + "}")
                .jsonPath().getString("id"));
        TestKeys.Key other = TestKeys.newTenant(db);

        ProblemAssertions.assertProblem(as(other).get(WORKFLOWS + "/" + id), 404);
        ProblemAssertions.assertProblem(as(key).get(WORKFLOWS + "/not-a-uuid"), 404);
    }
}
