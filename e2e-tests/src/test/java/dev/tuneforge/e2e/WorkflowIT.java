package dev.tuneforge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A train-then-evaluate workflow through the packaged services: 30 steps with checkpoints at 10, 20
 * and 30, one evaluate job per checkpoint, then the ranking. The tiny model is random, so its images
 * hold no face: the default objective (face distance) has nothing to rank, and the workflow must say
 * so instead of picking a checkpoint at random (ranking with faces is proven in the scheduler's tests).
 */
@ExtendWith(PlatformExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkflowIT {

    private static final Duration WORKFLOW_TIMEOUT = Duration.ofMinutes(6);
    private static final List<String> PROMPTS = List.of("a photo of a tfdemo red circle",
            "a photo of a tfdemo blue square", "a photo of a tfdemo green triangle");

    private Api api;

    @BeforeAll
    void platform() {
        E2ePlatform platform = E2ePlatform.get();
        api = new Api(platform);
        DemoJobs.register(platform, api);
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

    private static List<Double> numbers(JsonPath json, String path) {
        List<Object> values = json.getList(path);
        return values.stream().map(v -> ((Number) v).doubleValue()).toList();
    }

    private JsonPath view(String id) {
        return api.request().get("/api/v1/workflows/" + id).then().statusCode(200).extract().jsonPath();
    }
}
