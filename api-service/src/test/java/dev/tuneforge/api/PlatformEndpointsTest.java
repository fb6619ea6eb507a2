package dev.tuneforge.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.tuneforge.infra.test.TuneForgeInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TuneForgeInfraResource.class)
class PlatformEndpointsTest {

    @Test
    void readinessChecksTheDatabaseAndKafka() {
        Response ready = given().get("/q/health/ready");
        ready.then().statusCode(200);
        assertThat(ready.jsonPath().getString("status")).isEqualTo("UP");
        List<String> checks = ready.jsonPath().getList("checks.name");
        assertThat(checks).anySatisfy(name -> assertThat(name).containsIgnoringCase("database"));
        assertThat(checks).anySatisfy(name -> assertThat(name).containsIgnoringCase("kafka"));
        assertThat(ready.jsonPath().getList("checks.status", String.class)).containsOnly("UP");
    }

    @Test
    void openApiDocumentsTheJobsApiAndItsBearerKey() {
        Response openapi = given().queryParam("format", "json").get("/q/openapi");
        openapi.then().statusCode(200);
        assertThat(openapi.jsonPath().getMap("paths")).containsKeys("/api/v1/jobs", "/api/v1/jobs/{id}",
                "/api/v1/jobs/{id}/events", "/api/v1/jobs/{id}/cancel");
        assertThat(openapi.jsonPath().getString("components.securitySchemes.api-key.scheme")).isEqualTo("bearer");
        assertThat(openapi.jsonPath().getMap("components.schemas")).containsKeys("Job", "JobPage", "Problem",
                "SubmitJobRequest", "JobEvent");
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
