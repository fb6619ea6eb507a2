package dev.tuneforge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.api.testing.ApiTest;
import dev.tuneforge.api.testing.ChunkedPost;
import dev.tuneforge.api.testing.ProblemAssertions;
import dev.tuneforge.api.testing.Requests;
import dev.tuneforge.infra.test.TuneForgeInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 2's bad-input cases that belong to the API: each one a problem+json naming what is wrong, no job written. */
@QuarkusTest
@WithTestResource(TuneForgeInfraResource.class)
class BadInputTest extends ApiTest {

    @TestHTTPResource("/api/v1/jobs")
    URI jobsUri;

    @AfterEach
    void nothingWasWritten() {
        assertThat(db.count("SELECT count(*) FROM jobs WHERE tenant_id = ?", key.tenant())).isZero();
    }

    @Test
    void malformedJson() {
        Response response = submit(key, "{\"kind\":\"train\",\"spec\":{\"modelId\":");
        String message = ProblemAssertions.assertFieldError(response, "body");
        assertThat(message).contains("not valid JSON").contains("line 1");
        assertThat(response.jsonPath().getString("type")).isEqualTo("urn:tuneforge:problem:malformed-json");
        assertThat(response.jsonPath().getString("instance")).isEqualTo(JOBS);
    }

    @Test
    void unknownJobKind() {
        String message = ProblemAssertions.assertFieldError(submit(key, "{\"kind\":\"paint\",\"spec\":{}}"), "kind");
        assertThat(message).contains("paint").contains("train, generate, evaluate");
    }

    @Test
    void negativeSteps() {
        assertThat(ProblemAssertions.assertFieldError(submit(key, Requests.train("\"steps\":-5")), "spec.steps"))
                .contains("-5");
    }

    @Test
    void loraRankZero() {
        assertThat(ProblemAssertions.assertFieldError(submit(key, Requests.train("\"lora\":{\"rank\":0}")),
                "spec.lora.rank")).contains("0");
    }

    @Test
    void resolutionNotAMultipleOfEight() {
        assertThat(ProblemAssertions.assertFieldError(submit(key, Requests.train("\"resolution\":500")),
                "spec.resolution")).contains("multiple of 8");
    }

    @Test
    void unknownScheduler() {
        String body = "{\"kind\":\"generate\",\"spec\":{\"modelId\":\"sd15\",\"sampling\":"
                + "{\"prompts\":[\"a cat\"],\"scheduler\":\"warp-drive\"}}}";
        assertThat(ProblemAssertions.assertFieldError(submit(key, body), "spec.sampling.scheduler"))
                .contains("warp-drive").contains("ddim");
    }

    @Test
    void unknownMethod() {
        assertThat(ProblemAssertions.assertFieldError(submit(key, Requests.train("\"method\":\"hypernetwork\"")),
                "spec.method")).contains("lora, dreambooth");
    }

    @Test
    void missingDataset() {
        String body = "{\"kind\":\"train\",\"spec\":{\"modelId\":\"sd15\"}}";
        assertThat(ProblemAssertions.assertFieldError(submit(key, body), "spec.datasetId")).contains("required");
    }

    @Test
    void everyInvalidFieldIsNamedAtOnce() {
        Response response = submit(key, Requests.train("\"steps\":0,\"resolution\":100,\"lora\":{\"rank\":0}"));
        ProblemAssertions.assertFieldError(response, "spec.steps");
        ProblemAssertions.assertFieldError(response, "spec.resolution");
        ProblemAssertions.assertFieldError(response, "spec.lora.rank");
    }

    @Test
    void wrongShapesOfTheBody() {
        ProblemAssertions.assertFieldError(submit(key, "{\"kind\":\"train\",\"specs\":{}}"), "specs");
        ProblemAssertions.assertFieldError(submit(key, "{\"kind\":\"train\",\"spec\":[1]}"), "spec");
        ProblemAssertions.assertFieldError(submit(key, "{\"kind\":{\"a\":1},\"spec\":{}}"), "kind");
        ProblemAssertions.assertFieldError(submit(key, "{\"kind\":\"train\"}"), "spec");
        ProblemAssertions.assertFieldError(submit(key, Requests.train("\"steps\":\"many\"")), "spec.steps");
        ProblemAssertions.assertFieldError(submit(key, Requests.train("\"colour\":\"red\"")), "spec.colour");
        ProblemAssertions.assertFieldError(as(key).contentType(ContentType.JSON).post(JOBS), "body");
    }

    @Test
    void bodyOverTheSizeLimit() {
        String prompt = "x".repeat(600 * 1024);
        Response response = submit(key, Requests.train("\"validation\":{\"prompts\":[\"" + prompt + "\"]}"));
        ProblemAssertions.assertProblem(response, 413);
        assertThat(response.jsonPath().getString("detail")).contains("at most 524288");
        // The connection was drained, not dropped: the next call works.
        as(key).get(JOBS).then().statusCode(200);
    }

    @Test
    void chunkedBodyOverTheSizeLimit() throws Exception {
        String prompt = "x".repeat(600 * 1024);
        HttpResponse<String> response = ChunkedPost.send(jobsUri, key,
                Requests.train("\"validation\":{\"prompts\":[\"" + prompt + "\"]}"));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("detail").asText()).contains("at most 524288");
    }

    @Test
    void unknownJobId() {
        Response response = as(key).get(JOBS + "/" + UUID.randomUUID());
        ProblemAssertions.assertProblem(response, 404);
        assertThat(response.jsonPath().getString("type")).isEqualTo("urn:tuneforge:problem:job-not-found");
    }

    @Test
    void malformedJobIdIsAnUnknownJob() {
        Response response = as(key).get(JOBS + "/not-a-uuid");
        ProblemAssertions.assertProblem(response, 404);
        assertThat(response.jsonPath().getString("detail")).contains("not-a-uuid");
    }

    @Test
    void wrongMethod() {
        Response response = as(key).delete(JOBS + "/" + UUID.randomUUID());
        ProblemAssertions.assertProblem(response, 405);
        assertThat(response.header("Allow")).contains("GET");
    }

    @Test
    void wrongMediaType() {
        Response response = as(key).contentType(ContentType.TEXT).body("kind=train").post(JOBS);
        ProblemAssertions.assertProblem(response, 415);
        assertThat(response.jsonPath().getString("detail")).contains("application/json");
    }

    @Test
    void unacceptableResponseType() {
        ProblemAssertions.assertProblem(as(key).accept(ContentType.HTML).get(JOBS), 406);
    }

    @Test
    void unknownRouteUnderTheApi() {
        ProblemAssertions.assertProblem(as(key).get("/api/v1/nothing-here"), 404);
        ProblemAssertions.assertProblem(as(key).get("/nothing-here"), 404);
    }
}
