package dev.tuneforge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.api.testing.ApiTest;
import dev.tuneforge.api.testing.ProblemAssertions;
import dev.tuneforge.api.testing.Requests;
import dev.tuneforge.infra.test.TuneForgeInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TuneForgeInfraResource.class)
class JobEventsTest extends ApiTest {

    /** What the scheduler writes for each event it consumes. */
    private UUID recordEvent(UUID jobId, String type, int attempt, boolean stale, Instant occurredAt, String payload) {
        UUID eventId = UUID.randomUUID();
        db.update("INSERT INTO job_events (event_id, job_id, type, attempt, stale, source, occurred_at, cause, payload)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)", eventId, jobId, type, attempt, stale,
                "/tuneforge/worker/w-1", Timestamp.from(occurredAt), stale ? "stale attempt" : null, payload);
        return eventId;
    }

    @Test
    void listsTheAuditTrailInRecordingOrder() {
        UUID job = submitted(key, Requests.train());
        Instant t0 = Instant.parse("2026-05-01T10:00:00Z");
        // Recorded out of event-time order: the trail is the recording order (seq), not the clock.
        UUID started = recordEvent(job, "dev.tuneforge.job.started", 1, false, t0.plusSeconds(2),
                "{\"jobId\":\"" + job + "\",\"attempt\":1,\"workerId\":\"w-1\"}");
        UUID progress = recordEvent(job, "dev.tuneforge.job.progress", 1, false, t0.plusSeconds(1),
                "{\"jobId\":\"" + job + "\",\"attempt\":1,\"step\":10}");
        UUID zombie = recordEvent(job, "dev.tuneforge.job.progress", 0, true, t0.plusSeconds(3),
                "{\"jobId\":\"" + job + "\",\"attempt\":0,\"step\":99}");

        Response trail = as(key).get(JOBS + "/" + job + "/events");

        trail.then().statusCode(200);
        List<Map<String, Object>> items = trail.jsonPath().getList("items");
        assertThat(items).extracting(e -> e.get("eventId")).containsExactly(
                submission(job), started.toString(), progress.toString(), zombie.toString());
        List<Long> seqs = trail.jsonPath().getList("items.seq", Long.class);
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        assertThat(items.get(1)).containsEntry("type", "dev.tuneforge.job.started").containsEntry("attempt", 1)
                .containsEntry("stale", false).containsEntry("source", "/tuneforge/worker/w-1")
                .containsEntry("time", "2026-05-01T10:00:02Z");
        assertThat(items.get(1).get("recordedAt")).isNotNull();
        assertThat(trail.jsonPath().getInt("items[2].payload.step")).isEqualTo(10);
        assertThat(items.get(3)).containsEntry("stale", true).containsEntry("cause", "stale attempt");
        assertThat(trail.jsonPath().getString("next")).isNull();

        Response slice = as(key).queryParam("limit", 2).get(JOBS + "/" + job + "/events");
        assertThat(slice.jsonPath().getList("items.eventId")).containsExactly(submission(job), started.toString());
        long next = slice.jsonPath().getLong("next");
        assertThat(as(key).queryParam("after", next).get(JOBS + "/" + job + "/events").jsonPath().getList("items.eventId"))
                .containsExactly(progress.toString(), zombie.toString());
    }

    /** The id of the job's command: the API records the submission under the event id it publishes. */
    private String submission(UUID job) {
        return db.row("SELECT event_id FROM outbox WHERE job_id = ?", job).get("event_id").toString();
    }

    @Test
    void aNewJobsTrailHoldsItsSubmission() {
        UUID job = submitted(key, Requests.train());
        Response trail = as(key).get(JOBS + "/" + job + "/events");
        assertThat(trail.jsonPath().getList("items")).hasSize(1);
        assertThat(trail.jsonPath().getString("items[0].eventId")).isEqualTo(submission(job));
        assertThat(trail.jsonPath().getString("items[0].type")).isEqualTo("dev.tuneforge.job.requested");
        assertThat(trail.jsonPath().getString("items[0].cause")).isEqualTo("api:submit");
        assertThat(trail.jsonPath().getString("items[0].source")).isEqualTo("/tuneforge/api");
        assertThat(trail.jsonPath().getString("items[0].payload.submittedBy")).isEqualTo(key.name());
        assertThat(trail.jsonPath().getString("items[0].payload.spec.datasetId")).isEqualTo("alice");
    }

    @Test
    void unknownJobAndBadParametersAreProblems() {
        ProblemAssertions.assertProblem(as(key).get(JOBS + "/" + UUID.randomUUID() + "/events"), 404);
        UUID job = submitted(key, Requests.train());
        ProblemAssertions.assertFieldError(as(key).queryParam("after", "-1").get(JOBS + "/" + job + "/events"), "after");
        ProblemAssertions.assertFieldError(as(key).queryParam("limit", "5000").get(JOBS + "/" + job + "/events"), "limit");
    }
}
