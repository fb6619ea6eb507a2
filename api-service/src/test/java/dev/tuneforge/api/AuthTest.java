package dev.tuneforge.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.api.testing.ApiTest;
import dev.tuneforge.api.testing.ProblemAssertions;
import dev.tuneforge.api.testing.Requests;
import dev.tuneforge.api.testing.TestKeys;
import dev.tuneforge.infra.test.TuneForgeInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TuneForgeInfraResource.class)
class AuthTest extends ApiTest {

    @ConfigProperty(name = "tuneforge.api.auth.bootstrap-key")
    String bootstrapKey;

    private static void assertUnauthenticated(Response response) {
        ProblemAssertions.assertProblem(response, 401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void missingKey() {
        assertUnauthenticated(given().get(JOBS));
        assertUnauthenticated(given().contentType(ContentType.JSON).body(Requests.train()).post(JOBS));
        assertThat(db.count("SELECT count(*) FROM jobs WHERE submitted_by = ''")).isZero();
    }

    @Test
    void unknownKey() {
        assertUnauthenticated(given().header("Authorization", "Bearer tf_not_a_key").get(JOBS));
    }

    @Test
    void revokedKey() {
        as(key).get(JOBS).then().statusCode(200);
        TestKeys.revoke(db, key);
        assertUnauthenticated(as(key).get(JOBS));
    }

    @Test
    void otherSchemes() {
        assertUnauthenticated(given().header("Authorization", "Basic " + key.secret()).get(JOBS));
        assertUnauthenticated(given().header("Authorization", "Bearer ").get(JOBS));
    }

    @Test
    void theBootstrapKeyWasRegisteredForTheLocalTenant() {
        TestKeys.registerRequestAssets(db, "local");
        Response response = given().header("Authorization", "Bearer " + bootstrapKey)
                .contentType(ContentType.JSON).body(Requests.train()).post(JOBS);
        response.then().statusCode(202);
        assertThat(response.jsonPath().getString("submittedBy")).isEqualTo("local-admin");
        assertThat(db.row("SELECT tenant_id FROM jobs WHERE id = ?::uuid", response.jsonPath().getString("id")))
                .containsEntry("tenant_id", "local");
        assertThat(db.count("SELECT count(*) FROM api_keys WHERE name = 'local-admin'")).isEqualTo(1);
    }

    @Test
    void platformEndpointsNeedNoKey() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
