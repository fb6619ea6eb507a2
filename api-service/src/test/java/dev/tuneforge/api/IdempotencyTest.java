package dev.tuneforge.api;

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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TuneForgeInfraResource.class)
class IdempotencyTest extends ApiTest {

    private Response submitWithKey(TestKeys.Key caller, String idempotencyKey, String body) {
        return as(caller).header("Idempotency-Key", idempotencyKey).contentType(ContentType.JSON).body(body).post(JOBS);
    }

    @Test
    void sameKeyAndSameBodyReturnTheSameJob() {
        String idemKey = "retry-" + UUID.randomUUID();
        Response first = submitWithKey(key, idemKey,
                "{\"kind\":\"train\",\"spec\":{\"modelId\":\"sd15\",\"datasetId\":\"alice\",\"steps\":50}}");
        // The retry formats the same request differently: other key order, whitespace.
        Response again = submitWithKey(key, idemKey,
                "{ \"spec\": { \"steps\": 50, \"datasetId\": \"alice\", \"modelId\": \"sd15\" }, \"kind\": \"train\" }");

        first.then().statusCode(202);
        again.then().statusCode(200);
        String id = first.jsonPath().getString("id");
        assertThat(again.jsonPath().getString("id")).isEqualTo(id);
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(db.count("SELECT count(*) FROM jobs WHERE tenant_id = ?", key.tenant())).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ?", UUID.fromString(id))).isEqualTo(1);
    }

    @Test
    void sameKeyWithAnotherBodyIsAConflict() {
        String idemKey = "retry-" + UUID.randomUUID();
        String id = submitWithKey(key, idemKey, Requests.train()).then().statusCode(202).extract().path("id");

        Response conflict = submitWithKey(key, idemKey, Requests.train("\"steps\":999"));

        ProblemAssertions.assertProblem(conflict, 409);
        assertThat(conflict.jsonPath().getString("detail")).contains(idemKey);
        assertThat(conflict.jsonPath().getString("jobId")).isEqualTo(id);
        assertThat(db.count("SELECT count(*) FROM jobs WHERE tenant_id = ?", key.tenant())).isEqualTo(1);
    }

    @Test
    void concurrentRetriesWithOneKeyCreateOneJob() throws Exception {
        String idemKey = "race-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> submitWithKey(key, idemKey, Requests.train()));
            }
            List<String> ids = new ArrayList<>();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Response> answer : pool.invokeAll(calls)) {
                statuses.add(answer.get().statusCode());
                ids.add(answer.get().jsonPath().getString("id"));
            }
            assertThat(statuses).containsOnly(200, 202).containsOnlyOnce(202);
            assertThat(ids).containsOnly(ids.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.count("SELECT count(*) FROM jobs WHERE tenant_id = ?", key.tenant())).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM outbox o JOIN jobs j ON j.id = o.job_id WHERE j.tenant_id = ?",
                key.tenant())).isEqualTo(1);
    }

    @Test
    void keysAreScopedToTheTenant() {
        String idemKey = "shared-" + UUID.randomUUID();
        TestKeys.Key other = TestKeys.newTenant(db);
        String mine = submitWithKey(key, idemKey, Requests.train()).then().statusCode(202).extract().path("id");
        String theirs = submitWithKey(other, idemKey, Requests.train()).then().statusCode(202).extract().path("id");
        assertThat(theirs).isNotEqualTo(mine);
    }

    @Test
    void anUnusableKeyIsRejectedByName() {
        ProblemAssertions.assertFieldError(submitWithKey(key, "x".repeat(201), Requests.train()), "Idempotency-Key");
        ProblemAssertions.assertFieldError(submitWithKey(key, "has space", Requests.train()), "Idempotency-Key");
    }
}
