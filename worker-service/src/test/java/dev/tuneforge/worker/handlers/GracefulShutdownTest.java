package dev.tuneforge.worker.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.Device;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCheckpoint;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.events.JobEventData;
import dev.tuneforge.common.events.JobProgress;
import dev.tuneforge.common.events.JobStarted;
import dev.tuneforge.common.events.TypedEvent;
import dev.tuneforge.common.jobs.LoraSettings;
import dev.tuneforge.common.jobs.SamplingSettings;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.infra.test.KafkaResource;
import dev.tuneforge.worker.runner.JobHandlers;
import dev.tuneforge.worker.runner.JobRunner;
import dev.tuneforge.worker.storage.ContentCache;
import dev.tuneforge.worker.storage.ObjectStore;
import dev.tuneforge.worker.storage.TestS3;
import dev.tuneforge.worker.testing.TestKafka;
import dev.tuneforge.worker.testing.WorkerConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What SIGTERM does to a running training (the runner's graceful stop, which Quarkus' shutdown
 * calls): the train handler checkpoints, uploads it and stops, the record is released without a
 * terminal event, and the next worker resumes from that checkpoint and succeeds once. Own topic and
 * share group, so no other worker of the test JVM sees the command.
 */
class GracefulShutdownTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    Path dir;

    @Test
    void aStoppingWorkerCheckpointsAndReleasesTheTrainingAndTheNextWorkerResumesIt() throws Exception {
        new KafkaResource().start();
        String bootstrapServers = KafkaResource.bootstrapServers();
        ObjectStore store = TestS3.store();
        String group = "shutdown-" + UUID.randomUUID();
        String topic = group + ".jobs.train";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        String model = "tiny-" + group.substring(9, 17);
        TestInputs.tinyModel(store, "local", model);
        TestInputs.shapes("local", "shapes-" + model);
        TrainSpec spec = new TrainSpec("lora", model, "shapes-" + model, 12, 1, 64, 1e-3, 1e-3, true, "constant", null,
                null, 0, 1, null, null, 5L, true, false, 2, null, new LoraSettings(4, 4.0, null, null, null),
                SamplingSettings.defaults(), null);
        JobCommand command = TestKafka.command(spec);
        UUID job = command.jobId();
        try (TestKafka kafka = new TestKafka(bootstrapServers)) {
            JobRunner first = runner("first", bootstrapServers, group, topic, store);
            kafka.submit(command, topic);
            await().atMost(TIMEOUT).until(() -> kafka.count(job, EventType.JOB_CHECKPOINT) >= 1);
            first.stop();
            // The stop checkpoint's event was acknowledged before stop() returned; the reader may lag.
            await().atMost(TIMEOUT).until(() -> checkpointSteps(kafka, job).size() >= 2);
            List<Integer> beforeStop = checkpointSteps(kafka, job);
            assertThat(kafka.types(job)).doesNotContain(EventType.JOB_SUCCEEDED, EventType.JOB_FAILED,
                    EventType.JOB_CANCELLED);
            int stoppedAt = beforeStop.get(beforeStop.size() - 1);
            assertThat(stoppedAt).as("checkpoints " + beforeStop).isBetween(3, 11);
            assertThat(new RemoteCheckpoints(store, "local", job).latest()).hasValue(stoppedAt);

            JobRunner second = runner("second", bootstrapServers, group, topic, store);
            try {
                await().atMost(TIMEOUT).until(() -> kafka.count(job, EventType.JOB_SUCCEEDED) == 1);
            } finally {
                second.stop();
            }
            List<TypedEvent<JobEventData>> events = kafka.events(job);
            int secondStart = 0;
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).type() == EventType.JOB_STARTED) {
                    secondStart = i;
                }
            }
            assertThat(((JobStarted) events.get(secondStart).data()).workerId()).isEqualTo("second");
            List<JobProgress> afterRestart = events.subList(secondStart, events.size()).stream()
                    .filter(e -> e.type() == EventType.JOB_PROGRESS).map(e -> (JobProgress) e.data())
                    .filter(p -> p.step() != null).toList();
            assertThat(afterRestart.get(0).message()).isEqualTo("resumed from checkpoint step " + stoppedAt);
            assertThat(afterRestart.get(0).step()).isEqualTo(stoppedAt);
            assertThat(afterRestart.get(1).step()).as("resumed after the shutdown checkpoint").isEqualTo(stoppedAt + 1);
            assertThat(kafka.count(job, EventType.JOB_SUCCEEDED)).isEqualTo(1);
            assertThat(checkpointSteps(kafka, job)).endsWith(12);
        }
    }

    private static List<Integer> checkpointSteps(TestKafka kafka, UUID job) {
        return kafka.events(job).stream().filter(e -> e.type() == EventType.JOB_CHECKPOINT)
                .map(e -> ((JobCheckpoint) e.data()).step()).toList();
    }

    private JobRunner runner(String id, String bootstrapServers, String group, String topic, ObjectStore store)
            throws Exception {
        WorkerResources resources = new WorkerResources(store, new ContentCache(store, dir.resolve(id + "-cache"),
                1L << 30), dir.resolve(id + "-work"), new Devices(Device.cpu()), Optional.empty());
        JobRunner runner = new JobRunner(WorkerConfigs.of(Map.of("tuneforge.worker.group", group,
                "tuneforge.worker.kinds", "train", "tuneforge.worker.topics.train", topic,
                "tuneforge.worker.lock-duration", "3s", "tuneforge.worker.delivery-count-limit", "4",
                "tuneforge.worker.max-deliveries", "3", "tuneforge.worker.poll-timeout", "200ms",
                "tuneforge.worker.heartbeat-interval", "1s", "tuneforge.worker.shutdown-timeout", "60s")),
                id, bootstrapServers, new JobHandlers(List.of(new TrainHandler(resources))));
        runner.start();
        await().atMost(TIMEOUT).until(() -> runner.state() == JobRunner.State.RUNNING);
        return runner;
    }
}
