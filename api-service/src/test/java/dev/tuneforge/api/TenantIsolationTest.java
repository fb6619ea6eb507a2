package dev.tuneforge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.api.testing.ApiTest;
import dev.tuneforge.api.testing.ProblemAssertions;
import dev.tuneforge.api.testing.Requests;
import dev.tuneforge.api.testing.TestKeys;
import dev.tuneforge.infra.test.TuneForgeInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TuneForgeInfraResource.class)
class TenantIsolationTest extends ApiTest {

    @Test
    void anotherTenantCannotSeeOrTouchAJob() {
        UUID job = submitted(key, Requests.train());
        TestKeys.Key stranger = TestKeys.newTenant(db);

        Response get = as(stranger).get(JOBS + "/" + job);
        ProblemAssertions.assertProblem(get, 404);
        // Indistinguishable from a job that does not exist.
        Response missing = as(stranger).get(JOBS + "/" + UUID.randomUUID());
        assertThat(get.jsonPath().getString("title")).isEqualTo(missing.jsonPath().getString("title"));
        ProblemAssertions.assertProblem(as(stranger).get(JOBS + "/" + job + "/events"), 404);
        ProblemAssertions.assertProblem(as(stranger).post(JOBS + "/" + job + "/cancel"), 404);
        assertThat(as(stranger).get(JOBS).jsonPath().getList("items")).isEmpty();
        assertThat(status(job)).isIn("SUBMITTED", "QUEUED");
    }

    @Test
    void keysOfOneTenantShareItsJobs() {
        UUID job = submitted(key, Requests.train());
        TestKeys.Key colleague = TestKeys.newKey(db, key.tenant());

        as(colleague).get(JOBS + "/" + job).then().statusCode(200);
        assertThat(as(colleague).get(JOBS).jsonPath().getList("items.id")).containsExactly(job.toString());
        assertThat(as(colleague).get(JOBS + "/" + job).jsonPath().getString("submittedBy")).isEqualTo(key.name());
    }
}
