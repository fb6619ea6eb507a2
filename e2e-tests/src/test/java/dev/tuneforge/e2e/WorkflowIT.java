package dev.tuneforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.common.storage.ObjectKeys;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Train-then-evaluate workflows through the packaged services: 30 steps with checkpoints at 10, 20
 * and 30, one evaluate job per checkpoint, then the ranking. The tiny model is random, so its images
 * hold no face: the default objective (face distance) has nothing to rank, and the workflow must say
 * so instead of picking a checkpoint at random (ranking with faces is proven in the scheduler's tests).
 * With {@code clip_score_all_images} (the workers score with the demo's tiny random CLIP) the best is
 * picked, promoted and rendered, also when the scheduler and a worker are killed on the way.
 */
class WorkflowIT extends DemoPlatformIT {

    private static final Duration WORKFLOW_TIMEOUT = Duration.ofMinutes(6);
    private static final List<String> PROMPTS = List.of("a photo of a tfdemo red circle",
            "a photo of a tfdemo blue square", "a photo of a tfdemo green triangle");

    private static final String CLIP_ALL_IMAGES = "clip_score_all_images";

    @Test
    void aClipScoredWorkflowPromotesTheBestCheckpointRendersTheFinalSetAndTheAuditTellsTheStoryInOrder() {
        String id = submit(CLIP_ALL_IMAGES, 2);
        JsonPath workflow = awaitEnded(id);
        System.out.println("workflow " + id + " as GET /api/v1/workflows/{id} returns it:\n" + workflow.prettify());

        assertThat(workflow.getString("status")).as(workflow.prettify()).isEqualTo("SUCCEEDED");
        Map<Integer, Double> scores = new HashMap<>();
        for (Map<String, Object> checkpoint : workflow.<Map<String, Object>>getList("checkpoints")) {
            Map<?, ?> metrics = (Map<?, ?>) checkpoint.get("metrics");
            scores.put((Integer) checkpoint.get("step"), ((Number) metrics.get("clipScoreAllImages")).doubleValue());
        }
        assertThat(scores).containsOnlyKeys(10, 20, 30);
        int expectedBest = scores.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(workflow.getInt("best.step")).as("the highest recorded clipScoreAllImages: " + scores).isEqualTo(expectedBest);
        assertThat(numbers(workflow, "ranking.eligible.step")).as("ranked by score, highest first")
                .containsExactlyElementsOf(scores.entrySet().stream()
                        .sorted(Map.Entry.<Integer, Double>comparingByValue().reversed())
                        .map(e -> (double) e.getKey()).toList());

        String best = ObjectKeys.workflowBestPrefix(Artifacts.TENANT, UUID.fromString(id));
        assertThat(workflow.getString("best.location")).isEqualTo("s3://" + ObjectKeys.BUCKET + "/" + best);
        String trainJob = workflow.getString("steps.find { it.id == 'train' }.jobs[0].id");
        assertThat(s3.read(best + "lora.safetensors")).as("the promoted LoRA is the best checkpoint's")
                .isEqualTo(s3.read(ObjectKeys.checkpointPrefix(Artifacts.TENANT, UUID.fromString(trainJob), expectedBest)
                        + "lora.safetensors"));
        assertThat(s3.keys(best)).contains(best + "manifest.json");
        assertThat(api.job(trainJob).getString("artifacts.best")).isEqualTo(workflow.getString("best.location"));

        List<Map<String, Object>> generate = workflow.getList("steps.find { it.id == 'generate' }.jobs");
        assertThat(generate).singleElement().satisfies(job -> {
            assertThat(job.get("status")).isEqualTo("SUCCEEDED");
            assertThat(job.get("checkpoint")).isEqualTo(expectedBest);
        });

        List<JsonPath> audit = auditOf(id);
        List<String> story = audit.stream().map(row -> row.getString("type")).toList();
        assertThat(story).as("the workflow's audit log, in recording order").containsSubsequence(
                "dev.tuneforge.workflow.submitted", "dev.tuneforge.job.requested", "dev.tuneforge.job.started",
                "dev.tuneforge.job.checkpoint", "dev.tuneforge.job.checkpoint", "dev.tuneforge.job.checkpoint",
                "dev.tuneforge.job.succeeded", "dev.tuneforge.workflow.ranked", "dev.tuneforge.job.requested",
                "dev.tuneforge.job.succeeded", "dev.tuneforge.workflow.succeeded");
        assertThat(story.get(0)).isEqualTo("dev.tuneforge.workflow.submitted");
        assertThat(story.get(story.size() - 1)).isEqualTo("dev.tuneforge.workflow.succeeded");
        assertThat(story.stream().filter("dev.tuneforge.job.evaluated"::equals)).as("one score per checkpoint").hasSize(3);
        assertThat(audit).extracting(row -> row.getLong("seq")).isSorted();
    }

    @Test
    void killingTheSchedulerMidWorkflowAndAWorkerMidEvaluationStillEndsItOnceWithoutDuplicateJobs() {
        // More denoising steps than elsewhere: the kill must land while an evaluation renders.
        String id = submit(CLIP_ALL_IMAGES, 30);
        UUID trainJob = UUID.fromString(await("train job of " + id).atMost(WORKFLOW_TIMEOUT)
                .until(() -> view(id).getString("steps.find { it.id == 'train' }.jobs[0].id"), j -> j != null));
        String firstManifest = ObjectKeys.checkpointPrefix(Artifacts.TENANT, trainJob, 10) + "manifest.json";
        await("first checkpoint").atMost(WORKFLOW_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> s3.keys(firstManifest).contains(firstManifest));
        platform.killScheduler();
        platform.startScheduler();

        String interrupted = await("an evaluation running").atMost(WORKFLOW_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> runningEvaluation(view(id)), j -> j != null);
        platform.killWorker();
        assertThat(api.status(interrupted)).as("the kill must land mid-evaluation for this test to mean anything")
                .isNotEqualTo("SUCCEEDED");
        platform.startWorker();

        JsonPath workflow = awaitEnded(id);
        assertThat(workflow.getString("status")).as(workflow.prettify()).isEqualTo("SUCCEEDED");
        List<Map<String, Object>> evaluations = workflow.getList("steps.find { it.id == 'evaluate' }.jobs");
        assertThat(evaluations).as("one evaluate job per checkpoint, none twice")
                .extracting(j -> j.get("checkpoint")).containsExactlyInAnyOrder(10, 20, 30);
        assertThat(evaluations).extracting(j -> j.get("status")).containsOnly("SUCCEEDED");
        assertThat(workflow.getList("steps.find { it.id == 'train' }.jobs")).hasSize(1);
        assertThat(workflow.getList("steps.find { it.id == 'generate' }.jobs")).hasSize(1);
        assertThat(api.events(interrupted).stream().filter(e -> String.valueOf(e.get("type")).endsWith(".started")))
                .as("the interrupted evaluation was started again on the second worker").hasSizeGreaterThanOrEqualTo(2);
        List<String> decisions = auditOf(id).stream().map(row -> row.getString("type"))
                .filter(t -> t.startsWith("dev.tuneforge.workflow.")).toList();
        assertThat(decisions).as("each decision once").containsExactly("dev.tuneforge.workflow.submitted",
                "dev.tuneforge.workflow.ranked", "dev.tuneforge.workflow.succeeded");
    }

    @Test
    void everyCheckpointIsEvaluatedAndAFacelessRunFailsWithTheReasonInsteadOfPickingOne() {
        Map<String, Object> request = Map.of("template", "train-then-evaluate",
                "train", DemoJobs.train(30),
                "evaluation", Map.of("prompts", PROMPTS, "seed", 11, "steps", 2, "width", 64, "height", 64),
                "generate", Map.of("seed", 7, "steps", 2, "width", 64, "height", 64));
        String id = api.request().contentType(ContentType.JSON).body(request).post("/api/v1/workflows")
                .then().statusCode(202).extract().path("id");

        JsonPath workflow = await("workflow " + id + " ended").atMost(WORKFLOW_TIMEOUT)
                .pollInterval(Duration.ofSeconds(1)).until(() -> view(id),
                        w -> Api.TERMINAL.contains(w.getString("status")));

        assertThat(workflow.getString("status")).as(workflow.prettify()).isEqualTo("FAILED");
        assertThat(workflow.getString("failureReason")).startsWith("no checkpoint is eligible");
        assertThat(workflow.getList("checkpoints.step", Integer.class)).containsExactly(10, 20, 30);
        assertThat(numbers(workflow, "checkpoints.metrics.images")).as("images per evaluation").containsOnly(3.0);
        assertThat(numbers(workflow, "checkpoints.metrics.faceless")).as("faceless per evaluation").containsOnly(3.0);
        assertThat(workflow.getList("ranking.eligible")).isEmpty();
        assertThat(numbers(workflow, "ranking.excluded.step")).containsExactlyInAnyOrder(10.0, 20.0, 30.0);
        assertThat(workflow.getString("best")).isNull();

        List<Map<String, Object>> evaluateJobs = workflow.getList("steps.find { it.id == 'evaluate' }.jobs");
        assertThat(evaluateJobs).extracting(j -> ((Number) j.get("checkpoint")).intValue())
                .containsExactlyInAnyOrder(10, 20, 30);
        assertThat(evaluateJobs).extracting(j -> j.get("status")).containsOnly("SUCCEEDED");
        assertThat(workflow.getString("steps.find { it.id == 'train' }.status")).isEqualTo("SUCCEEDED");
        assertThat(workflow.getList("steps.find { it.id == 'generate' }.jobs")).as("no final generate").isEmpty();

        List<String> decisions = new ArrayList<>();
        List<String> jobs = new ArrayList<>(workflow.getList("steps.jobs.flatten().id", String.class));
        for (String job : jobs) {
            api.events(job).stream().map(e -> String.valueOf(e.get("type")))
                    .filter(t -> t.startsWith("dev.tuneforge.workflow.")).forEach(decisions::add);
        }
        assertThat(decisions).as("workflow decisions in the audit log")
                .containsExactlyInAnyOrder("dev.tuneforge.workflow.ranked", "dev.tuneforge.workflow.failed");
    }

    /** A train-then-evaluate workflow of 30 steps, 3 prompts, the given objective and denoising steps of its evaluations. */
    private String submit(String objective, int evaluationSteps) {
        Map<String, Object> request = Map.of("template", "train-then-evaluate",
                "train", DemoJobs.train(30),
                "evaluation", Map.of("prompts", PROMPTS, "seed", 11, "steps", evaluationSteps, "width", 64, "height", 64),
                "policy", Map.of("objective", objective),
                "generate", Map.of("seed", 7, "steps", 2, "width", 64, "height", 64));
        return api.request().contentType(ContentType.JSON).body(request).post("/api/v1/workflows")
                .then().statusCode(202).extract().path("id");
    }

    private JsonPath awaitEnded(String id) {
        return await("workflow " + id + " ended").atMost(WORKFLOW_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> view(id), w -> Api.TERMINAL.contains(w.getString("status")));
    }

    private static String runningEvaluation(JsonPath workflow) {
        List<Map<String, Object>> jobs = workflow.getList("steps.find { it.id == 'evaluate' }.jobs");
        return jobs.stream().filter(j -> "RUNNING".equals(j.get("status"))).map(j -> (String) j.get("id")).findFirst()
                .orElse(null);
    }

    /** The workflow's audit log as the JSON Lines export gives it: one row per line, in recording order. */
    private List<JsonPath> auditOf(String id) {
        String lines = api.request().accept("application/jsonl").queryParam("workflowId", id).get("/api/v1/audit")
                .then().statusCode(200).extract().asString();
        return lines.lines().filter(line -> !line.isBlank()).map(JsonPath::from).toList();
    }

    private static List<Double> numbers(JsonPath json, String path) {
        List<Object> values = json.getList(path);
        return values.stream().map(v -> ((Number) v).doubleValue()).toList();
    }

    private JsonPath view(String id) {
        return api.request().get("/api/v1/workflows/" + id).then().statusCode(200).extract().jsonPath();
    }
}
