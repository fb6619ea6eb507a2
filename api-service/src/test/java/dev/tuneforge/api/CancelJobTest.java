package dev.tuneforge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.api.testing.ApiTest;
import dev.tuneforge.api.testing.KafkaRecords;
import dev.tuneforge.api.testing.ProblemAssertions;
import dev.tuneforge.api.testing.Requests;
import dev.tuneforge.common.Topics;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCancelRequested;
import dev.tuneforge.common.events.TypedEvent;
import dev.tuneforge.infra.test.TuneForgeInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TuneForgeInfraResource.class)
class CancelJobTest extends ApiTest {

    private List<Map<String, Object>> controlRows(UUID job) {
        return db.rows("SELECT payload, sent_at FROM outbox WHERE job_id = ? AND topic = ? ORDER BY seq",
                job, Topics.JOB_CONTROL);
    }

    @Test
    void aJobNoWorkerHasTakenIsCancelledAtOnceAndWorkersAreTold() {
        UUID job = submitted(key, Requests.train());
        await().atMost(Duration.ofSeconds(30)).until(() -> "QUEUED".equals(status(job)));

        Response response = as(key).post(JOBS + "/" + job + "/cancel");

        response.then().statusCode(200);
        assertThat(response.jsonPath().getString("status")).isEqualTo("CANCELLED");
        assertThat(response.jsonPath().getString("finishedAt")).isNotNull();
        assertThat(status(job)).isEqualTo("CANCELLED");
        assertThat(controlRows(job)).singleElement().satisfies(row -> {
            TypedEvent<?> event = CODEC.decode((byte[]) row.get("payload"));
            assertThat(event.type()).isEqualTo(EventType.JOB_CANCEL_REQUESTED);
            assertThat(event.data()).isEqualTo(new JobCancelRequested(job, 1, key.name()));
        });
        await().atMost(Duration.ofSeconds(30)).until(
                () -> !KafkaRecords.withKey(bootstrapServers, Topics.JOB_CONTROL, job.toString()).isEmpty());
        assertThat(response.jsonPath().getString("failureReason")).contains(key.name()).contains("before a worker");
        assertThat(trailTypes(job)).containsExactly("dev.tuneforge.job.requested",
                "dev.tuneforge.job.cancel-requested", "dev.tuneforge.job.cancelled");
    }

    private List<String> trailTypes(UUID job) {
        return as(key).get(JOBS + "/" + job + "/events").jsonPath().getList("items.type", String.class);
    }

    @Test
    void aRunningJobIsAskedToStopAndKeepsRunningUntilItsWorkerConfirms() {
        UUID job = submitted(key, Requests.train());
        await().atMost(Duration.ofSeconds(30)).until(() -> "QUEUED".equals(status(job)));
        // What the scheduler records when the worker's job.started arrives.
        db.update("UPDATE jobs SET status = 'RUNNING', worker_id = 'w-1', started_at = now() WHERE id = ?", job);

        Response response = as(key).post(JOBS + "/" + job + "/cancel");

        response.then().statusCode(202);
        assertThat(response.jsonPath().getString("status")).isEqualTo("RUNNING");
        assertThat(status(job)).isEqualTo("RUNNING");
        assertThat(controlRows(job)).hasSize(1);
        assertThat(trailTypes(job)).containsExactly("dev.tuneforge.job.requested",
                "dev.tuneforge.job.cancel-requested");
    }

    @Test
    void aFinishedJobCannotBeCancelled() {
        UUID job = submitted(key, Requests.train());
        db.update("UPDATE jobs SET status = 'SUCCEEDED', finished_at = now() WHERE id = ?", job);

        Response response = as(key).post(JOBS + "/" + job + "/cancel");

        ProblemAssertions.assertProblem(response, 409);
        assertThat(response.jsonPath().getString("jobStatus")).isEqualTo("SUCCEEDED");
        assertThat(response.jsonPath().getString("detail")).contains("SUCCEEDED");
        assertThat(status(job)).isEqualTo("SUCCEEDED");
        assertThat(controlRows(job)).isEmpty();
    }

    @Test
    void cancellingTwiceIsAConflictTheSecondTime() {
        UUID job = submitted(key, Requests.train());
        as(key).post(JOBS + "/" + job + "/cancel").then().statusCode(200);
        Response again = as(key).post(JOBS + "/" + job + "/cancel");
        ProblemAssertions.assertProblem(again, 409);
        assertThat(again.jsonPath().getString("jobStatus")).isEqualTo("CANCELLED");
    }

    @Test
    void anUnknownJobIsNotFound() {
        ProblemAssertions.assertProblem(as(key).post(JOBS + "/" + UUID.randomUUID() + "/cancel"), 404);
    }
}
