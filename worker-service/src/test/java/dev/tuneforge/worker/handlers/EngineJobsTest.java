package dev.tuneforge.worker.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCheckpoint;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.events.JobSamples;
import dev.tuneforge.common.events.JobSucceeded;
import dev.tuneforge.common.events.TypedEvent;
import dev.tuneforge.common.jobs.GenerateSpec;
import dev.tuneforge.common.jobs.LoraRef;
import dev.tuneforge.common.jobs.LoraSettings;
import dev.tuneforge.common.jobs.SamplingSettings;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.common.storage.ObjectKeys;
import dev.tuneforge.infra.test.KafkaResource;
import dev.tuneforge.infra.test.S3Resource;
import dev.tuneforge.worker.storage.ObjectStore;
import dev.tuneforge.worker.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Train and generate commands through Kafka, run by the engine handlers on the tiny model in S3. */
@QuarkusTest
@TestProfile(EngineHandlersProfile.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(S3Resource.class)
class EngineJobsTest {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aTrainingJobReportsCheckpointsSamplesAndItsFinalLoraAndAGenerateJobUsesIt() throws Exception {
        String model = "tiny-" + UUID.randomUUID().toString().substring(0, 8);
        String dataset = "shapes-" + UUID.randomUUID().toString().substring(0, 8);
        TestInputs.tinyModel(store, "local", model);
        TestInputs.shapes("local", dataset);
        try (TestKafka kafka = new TestKafka(bootstrapServers)) {
            TrainSpec train = new TrainSpec("lora", model, dataset, 2, 1, 64, 1e-3, 1e-3, true, "constant", null, null,
                    0, 1, null, null, 7L, true, false, 1, null, new LoraSettings(4, 4.0, null, null, null),
                    new SamplingSettings(List.of("a red square"), null, 1, 7.5, null, null, 64, 64, 1), null);
            JobCommand trainCommand = kafka.submit(TestKafka.command(train));
            UUID trainJob = trainCommand.jobId();
            await().atMost(JOB_TIMEOUT).until(() -> kafka.count(trainJob, EventType.JOB_SUCCEEDED) == 1);

            List<EventType> types = kafka.types(trainJob);
            assertThat(types.get(0)).isEqualTo(EventType.JOB_STARTED);
            assertThat(types.get(types.size() - 1)).isEqualTo(EventType.JOB_SUCCEEDED);
            assertThat(types).contains(EventType.JOB_PROGRESS);
            assertThat(payloads(kafka, trainJob, EventType.JOB_CHECKPOINT, JobCheckpoint.class))
                    .extracting(JobCheckpoint::step, JobCheckpoint::location).containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1, store.location(
                                    ObjectKeys.checkpointPrefix("local", trainJob, 1))),
                            org.assertj.core.groups.Tuple.tuple(2, store.location(
                                    ObjectKeys.checkpointPrefix("local", trainJob, 2))));
            assertThat(payloads(kafka, trainJob, EventType.JOB_SAMPLES, JobSamples.class))
                    .extracting(JobSamples::step).containsExactly(1, 2);
            Map<String, String> artifacts = kafka.first(trainJob, EventType.JOB_SUCCEEDED, JobSucceeded.class)
                    .orElseThrow().artifacts();
            assertThat(artifacts).containsOnlyKeys("pytorch_lora_weights.safetensors", "lora_kohya.safetensors");
            for (String location : artifacts.values()) {
                assertThat(store.exists(location.substring(store.location("").length()))).as(location).isTrue();
            }

            GenerateSpec generate = new GenerateSpec(model, new LoraRef(trainJob.toString(), null, 1.0),
                    new SamplingSettings(List.of("a blue square"), null, 1, 7.5, null, 3L, 64, 64, 1));
            UUID generateJob = kafka.submit(TestKafka.command(generate)).jobId();
            await().atMost(JOB_TIMEOUT).until(() -> kafka.count(generateJob, EventType.JOB_SUCCEEDED) == 1);
            assertThat(kafka.first(generateJob, EventType.JOB_SAMPLES, JobSamples.class)).get()
                    .extracting(JobSamples::locations).asList()
                    .containsExactly(store.location(ObjectKeys.sample("local", generateJob, 0, 0)));
            assertThat(store.exists(ObjectKeys.sample("local", generateJob, 0, 0))).isTrue();
        }
    }

    private static <T> List<T> payloads(TestKafka kafka, UUID job, EventType type, Class<T> payload) {
        return kafka.events(job).stream().filter(e -> e.type() == type).map(TypedEvent::data).map(payload::cast)
                .toList();
    }
}
