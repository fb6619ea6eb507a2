package dev.tuneforge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.api.testing.ApiTest;
import dev.tuneforge.api.testing.ChunkedPost;
import dev.tuneforge.api.testing.KafkaRecords;
import dev.tuneforge.api.testing.ProblemAssertions;
import dev.tuneforge.api.testing.Requests;
import dev.tuneforge.common.Topics;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.events.TypedEvent;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.infra.test.TuneForgeInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TuneForgeInfraResource.class)
class SubmitJobTest extends ApiTest {
    @TestHTTPResource("/api/v1/jobs")
    URI jobsUri;

    @Test
    void submitAnswers202WithLocationAndTheJobView() {
        Response response = submit(key, Requests.train("\"steps\":300,\"lora\":{\"rank\":16}"));

        response.then().statusCode(202).contentType("application/json");
        String id = response.jsonPath().getString("id");
        assertThat(response.header("Location")).endsWith("/api/v1/jobs/" + id);
        assertThat(response.jsonPath().getString("kind")).isEqualTo("train");
        assertThat(response.jsonPath().getString("status")).isEqualTo("SUBMITTED");
        assertThat(response.jsonPath().getInt("attempt")).isEqualTo(1);
        assertThat(response.jsonPath().getString("submittedBy")).isEqualTo(key.name());
        // The view shows the effective spec: what was sent plus every default.
        assertThat(response.jsonPath().getInt("spec.steps")).isEqualTo(300);
        assertThat(response.jsonPath().getInt("spec.lora.rank")).isEqualTo(16);
        assertThat(response.jsonPath().getDouble("spec.lora.alpha")).isEqualTo(16.0);
        assertThat(response.jsonPath().getInt("spec.resolution")).isEqualTo(512);
        assertThat(response.jsonPath().getString("createdAt")).isNotBlank();

        as(key).get(response.header("Location")).then().statusCode(200);
    }

    @Test
    void aChunkedBodyWithinTheLimitIsAccepted() throws Exception {
        HttpResponse<String> response = ChunkedPost.send(jobsUri, key, Requests.train("\"steps\":120"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).get("spec").get("steps").asInt()).isEqualTo(120);
    }

    @Test
    void writesTheJobRowAndItsCommandToTheOutbox() throws Exception {
        UUID id = submitted(key, Requests.train());

        Map<String, Object> job = db.row("SELECT tenant_id, kind, attempt, submitted_by, spec::text AS spec FROM jobs"
                + " WHERE id = ?", id);
        assertThat(job).containsEntry("tenant_id", key.tenant()).containsEntry("kind", "train")
                .containsEntry("attempt", 1).containsEntry("submitted_by", key.name());
        assertThat(JSON.readTree((String) job.get("spec")).get("kind").asText()).isEqualTo("train");

        Map<String, Object> outbox = db.row("SELECT topic, record_key, payload, event_id FROM outbox WHERE job_id = ?", id);
        assertThat(outbox).containsEntry("topic", Topics.JOBS_TRAIN).containsEntry("record_key", id.toString());
        TypedEvent<?> event = CODEC.decode((byte[]) outbox.get("payload"));
        assertThat(event.type()).isEqualTo(EventType.JOB_REQUESTED);
        assertThat(event.id()).isEqualTo(outbox.get("event_id").toString());
        assertThat(event.envelope().subject()).isEqualTo(id.toString());
        JobCommand command = (JobCommand) event.data();
        assertThat(command.jobId()).isEqualTo(id);
        assertThat(command.attempt()).isEqualTo(1);
        assertThat(command.tenant()).isEqualTo(key.tenant());
        assertThat(command.submittedBy()).isEqualTo(key.name());
        assertThat(command.spec()).isEqualTo(TrainSpec.lora("sd15", "alice"));
    }

    /** If the outbox insert fails, the job insert is rolled back with it: one transaction. */
    @Test
    void aFailedOutboxWriteLeavesNoJob() {
        String marker = "fail-outbox-" + UUID.randomUUID().toString().substring(0, 8);
        // The marker names the job's dataset, so it must exist for the submission to reach the outbox.
        db.update("INSERT INTO datasets (tenant_id, id, name, image_count, total_bytes, files)"
                + " VALUES (?, ?, ?, 0, 0, '[]')", key.tenant(), marker, marker);
        db.update("CREATE FUNCTION reject_" + marker.replace('-', '_') + "() RETURNS trigger AS $$ BEGIN"
                + " RAISE EXCEPTION 'outbox write refused by test'; END; $$ LANGUAGE plpgsql");
        db.update("CREATE TRIGGER " + marker.replace('-', '_') + " BEFORE INSERT ON outbox FOR EACH ROW"
                + " WHEN (position('" + marker + "' in convert_from(NEW.payload, 'UTF8')) > 0)"
                + " EXECUTE FUNCTION reject_" + marker.replace('-', '_') + "()");
        try {
            Response response = submit(key, "{\"kind\":\"train\",\"spec\":{\"modelId\":\"sd15\",\"datasetId\":\""
                    + marker + "\"}}");
            ProblemAssertions.assertProblem(response, 500);
        } finally {
            db.update("DROP TRIGGER " + marker.replace('-', '_') + " ON outbox");
            db.update("DROP FUNCTION reject_" + marker.replace('-', '_') + "()");
        }
        assertThat(db.count("SELECT count(*) FROM jobs WHERE tenant_id = ?", key.tenant())).isZero();
        assertThat(db.count("SELECT count(*) FROM outbox WHERE position(? in convert_from(payload, 'UTF8')) > 0",
                marker)).isZero();
    }

    @Test
    void relayPublishesTheCommandKeyedByJobIdAndQueuesTheJob() {
        UUID id = submitted(key, Requests.generate());

        await().atMost(Duration.ofSeconds(30)).until(() -> "QUEUED".equals(status(id)));
        Map<String, Object> outbox = db.row("SELECT sent_at, attempts, event_id FROM outbox WHERE job_id = ?", id);
        assertThat(outbox.get("sent_at")).isNotNull();
        assertThat(outbox.get("attempts")).isEqualTo(1);

        List<ConsumerRecord<String, byte[]>> records =
                KafkaRecords.withKey(bootstrapServers, Topics.JOBS_GENERATE, id.toString());
        assertThat(records).singleElement().satisfies(record -> {
            TypedEvent<?> event = CODEC.decode(record.value());
            assertThat(event.type()).isEqualTo(EventType.JOB_REQUESTED);
            assertThat(event.id()).isEqualTo(outbox.get("event_id").toString());
            assertThat(event.envelope().specversion()).isEqualTo("1.0");
            assertThat(event.envelope().source()).isEqualTo("/tuneforge/api");
            assertThat(event.envelope().dataschema()).isEqualTo(EventType.JOB_REQUESTED.dataschema());
            assertThat(((JobCommand) event.data()).jobId()).isEqualTo(id);
        });
        as(key).get(JOBS + "/" + id).then().statusCode(200).body("status", org.hamcrest.Matchers.is("QUEUED"));
    }
}
