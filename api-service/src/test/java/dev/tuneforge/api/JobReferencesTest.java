package dev.tuneforge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.api.testing.ApiTest;
import dev.tuneforge.api.testing.ProblemAssertions;
import dev.tuneforge.api.testing.Requests;
import dev.tuneforge.infra.test.TuneForgeInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A job must name a model, dataset and LoRA job its tenant has; the job view shows its checkpoints. */
@QuarkusTest
@WithTestResource(TuneForgeInfraResource.class)
class JobReferencesTest extends ApiTest {

    private static List<String> fields(Response response) {
        ProblemAssertions.assertProblem(response, 422);
        assertThat(response.jsonPath().getString("type")).isEqualTo("urn:tuneforge:problem:unknown-reference");
        return response.jsonPath().getList("errors.field", String.class);
    }

    @Test
    void anUnknownModelOrDatasetIsRefusedNamingTheField() {
        assertThat(fields(submit(key, "{\"kind\":\"train\",\"spec\":{\"modelId\":\"nope\",\"datasetId\":\"alice\"}}")))
                .containsExactly("spec.modelId");
        assertThat(fields(submit(key, "{\"kind\":\"train\",\"spec\":{\"modelId\":\"sd15\",\"datasetId\":\"nope\"}}")))
                .containsExactly("spec.datasetId");
        assertThat(fields(submit(key, "{\"kind\":\"evaluate\",\"spec\":{\"modelId\":\"nope\",\"datasetId\":\"nope\"}}")))
                .containsExactly("spec.modelId", "spec.datasetId");
        assertThat(db.count("SELECT count(*) FROM jobs WHERE tenant_id = ?", key.tenant())).isZero();
    }

    @Test
    void anotherTenantsModelIsUnknown() {
        var stranger = dev.tuneforge.api.testing.TestKeys.newTenant(db);
        db.update("INSERT INTO models (tenant_id, id, name, total_bytes, files) VALUES (?, 'private', 'p', 0, '[]')",
                stranger.tenant());
        assertThat(fields(submit(key, "{\"kind\":\"generate\",\"spec\":{\"modelId\":\"private\","
                + "\"sampling\":{\"prompts\":[\"a cat\"]}}}"))).containsExactly("spec.modelId");
    }

    @Test
    void aLoraMustComeFromATrainJobOfTheTenant() {
        UUID generate = submitted(key, Requests.generate());
        String withLora = "{\"kind\":\"generate\",\"spec\":{\"modelId\":\"sd15\",\"lora\":{\"jobId\":\"%s\"},"
                + "\"sampling\":{\"prompts\":[\"a cat\"]}}}";
        assertThat(fields(submit(key, withLora.formatted(UUID.randomUUID())))).containsExactly("spec.lora.jobId");
        assertThat(fields(submit(key, withLora.formatted(generate)))).containsExactly("spec.lora.jobId");

        UUID train = submitted(key, Requests.train());
        submit(key, withLora.formatted(train)).then().statusCode(202);
    }

    @Test
    void theJobViewShowsCheckpointsWithSamplesAndScores() {
        UUID train = submitted(key, Requests.train());
        db.update("INSERT INTO checkpoints (job_id, step, location, metrics, report_location, samples)"
                + " VALUES (?, 10, 's3://tuneforge/c10/', '{\"clipScore\":0.31}'::jsonb, 's3://tuneforge/m.json',"
                + " '[\"s3://tuneforge/s/0.png\"]'::jsonb)", train);
        db.update("INSERT INTO checkpoints (job_id, step, location) VALUES (?, 20, 's3://tuneforge/c20/')", train);

        Response view = as(key).get(JOBS + "/" + train);
        view.then().statusCode(200);
        List<Map<String, Object>> checkpoints = view.jsonPath().getList("checkpoints");
        assertThat(checkpoints).extracting(c -> c.get("step")).containsExactly(10, 20);
        assertThat(view.jsonPath().getFloat("checkpoints[0].metrics.clipScore")).isEqualTo(0.31f);
        assertThat(view.jsonPath().getString("checkpoints[0].reportLocation")).isEqualTo("s3://tuneforge/m.json");
        assertThat(view.jsonPath().getList("checkpoints[0].samples", String.class)).containsExactly("s3://tuneforge/s/0.png");
        assertThat(view.jsonPath().getString("checkpoints[1].location")).isEqualTo("s3://tuneforge/c20/");
        // Lists leave checkpoints out (one query per page, not per job).
        assertThat(as(key).get(JOBS).jsonPath().getList("items[0].checkpoints")).isNull();
    }
}
