package dev.tuneforge.common.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.common.jobs.TrainSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private final EventCodec codec = new EventCodec();
    private final UUID jobId = UUID.randomUUID();

    @Test
    void commandRoundTripKeepsTypedSpecAndEnvelope() {
        JobCommand command = new JobCommand(jobId, 2, "local", "alice", TrainSpec.lora("sd15", "faces"));
        CloudEvent event = codec.wrap(EventType.JOB_REQUESTED, "/api-service", command);

        TypedEvent<JobEventData> decoded = codec.decode(codec.encode(event));

        assertThat(decoded.type()).isEqualTo(EventType.JOB_REQUESTED);
        assertThat(decoded.id()).isEqualTo(event.id());
        assertThat(decoded.envelope().subject()).isEqualTo(jobId.toString());
        assertThat(decoded.envelope().specversion()).isEqualTo("1.0");
        assertThat(decoded.envelope().dataschema()).isEqualTo("urn:tuneforge:dev.tuneforge.job.requested:v1");
        assertThat(decoded.data()).isEqualTo(command);
        assertThat(((JobCommand) decoded.data()).spec()).isInstanceOf(TrainSpec.class);
    }

    @Test
    void everyEventTypeRoundTrips() {
        JobEventData[] payloads = {
            new JobStarted(jobId, 1, "w1", null),
            new JobProgress(jobId, 1, "w1", 5, 10, 0.5, 0.6, 1e-4, 2.0, 12.0, null),
            new JobCheckpoint(jobId, 1, 10, "tenants/t/jobs/x/checkpoints/step-10/"),
            new JobSamples(jobId, 1, 10, java.util.List.of("a.png")),
            new JobEvaluated(jobId, 1, 10, Map.of("faceDistance", 0.4), "r.json"),
            new JobSucceeded(jobId, 1, Map.of("lora", "x")),
            new JobFailed(jobId, 1, "bad image", false),
            new JobCancelled(jobId, 1, "user"),
            new JobCancelRequested(jobId, 1, "alice")
        };
        for (JobEventData payload : payloads) {
            EventType type = java.util.Arrays.stream(EventType.values())
                    .filter(t -> t.payloadClass() == payload.getClass()).findFirst().orElseThrow();
            assertThat(codec.decode(codec.encode(codec.wrap(type, "/test", payload))).data()).isEqualTo(payload);
        }
    }

    @Test
    void wrapRefusesAPayloadOfAnotherType() {
        assertThatThrownBy(() -> codec.wrap(EventType.JOB_FAILED, "/t", new JobStarted(jobId, 1, "w", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JobFailed");
    }

    @Test
    void malformedJsonIsAnInvalidEvent() {
        assertThatThrownBy(() -> codec.decode("{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("malformed JSON");
    }

    @Test
    void missingAttributeIsNamed() {
        String noId = "{\"specversion\":\"1.0\",\"source\":\"/x\",\"type\":\"dev.tuneforge.job.started\"}";
        assertThatThrownBy(() -> codec.decode(noId.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("'id'");
    }

    @Test
    void unknownTypeAndUnsupportedSchemaVersionAreInvalid() {
        CloudEvent good = codec.wrap(EventType.JOB_STARTED, "/w", new JobStarted(jobId, 1, "w", null));
        CloudEvent unknownType = new CloudEvent("1.0", good.id(), "/w", "dev.tuneforge.job.exploded", good.subject(),
                good.time(), CloudEvent.JSON, good.dataschema(), good.data());
        CloudEvent futureSchema = new CloudEvent("1.0", good.id(), "/w", good.type(), good.subject(), good.time(),
                CloudEvent.JSON, EventType.JOB_STARTED.dataschema(2), good.data());

        assertThatThrownBy(() -> codec.decode(codec.encode(unknownType)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("unknown event type");
        assertThatThrownBy(() -> codec.decode(codec.encode(futureSchema)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("unsupported dataschema");
    }

    @Test
    void emptyValueAndWrongSpecVersionAreInvalid() {
        assertThatThrownBy(() -> codec.decode(new byte[0])).isInstanceOf(InvalidEventException.class);
        String v03 = "{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"dev.tuneforge.job.started\"}";
        assertThatThrownBy(() -> codec.decode(v03.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("specversion");
    }
}
