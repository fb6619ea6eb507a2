package dev.tuneforge.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCancelled;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.infra.test.KafkaResource;
import dev.tuneforge.worker.testing.Script;
import dev.tuneforge.worker.testing.ScriptedTrainHandler;
import dev.tuneforge.worker.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cancel requests on tuneforge.job-control. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class CancelTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    ScriptedTrainHandler handler;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    TestKafka kafka;

    @BeforeEach
    void connect() {
        kafka = new TestKafka(bootstrapServers);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    void aCancelRequestStopsTheRunningJobWhichEndsCancelled() {
        JobCommand command = TestKafka.command(TrainSpec.lora("sd15", "faces"));
        UUID id = command.jobId();
        handler.script(id, Script.steps(300, Duration.ofMillis(100)));
        kafka.submit(command);
        await().atMost(TIMEOUT).until(() -> kafka.count(id, EventType.JOB_PROGRESS) >= 2);

        kafka.cancel(id, 1, "alice");

        await().atMost(TIMEOUT).until(() -> kafka.first(id, EventType.JOB_CANCELLED, JobCancelled.class).isPresent());
        assertThat(kafka.first(id, EventType.JOB_CANCELLED, JobCancelled.class).orElseThrow().reason())
                .isEqualTo("cancelled by alice");
        assertThat(kafka.count(id, EventType.JOB_SUCCEEDED)).isZero();
        // Accepted: not run again.
        await().during(JobRunnerTest.LONGER_THAN_A_LOCK).atMost(JobRunnerTest.LONGER_THAN_A_LOCK.plusSeconds(5))
                .until(() -> handler.runs(id).size() == 1);
    }

    @Test
    void aCommandWhoseCancelArrivedFirstIsCancelledWithoutRunning() throws InterruptedException {
        JobCommand command = TestKafka.command(TrainSpec.lora("sd15", "faces"));
        UUID id = command.jobId();
        handler.script(id, Script.steps(1, Duration.ofMillis(10)));
        kafka.cancel(id, 1, "bob");
        givenTheWorkerTimeToReadJobControl();
        kafka.submit(command);

        await().atMost(TIMEOUT).until(() -> kafka.first(id, EventType.JOB_CANCELLED, JobCancelled.class).isPresent());
        assertThat(kafka.first(id, EventType.JOB_CANCELLED, JobCancelled.class).orElseThrow().reason())
                .isEqualTo("cancelled by bob before it started");
        assertThat(kafka.types(id)).containsExactly(EventType.JOB_CANCELLED);
        assertThat(handler.runs(id)).isEmpty();
    }

    @Test
    void aCancelRequestForAnEarlierAttemptLeavesALaterOneRunning() throws InterruptedException {
        JobCommand retry = new JobCommand(UUID.randomUUID(), 2, "local", "tester", TrainSpec.lora("sd15", "faces"));
        handler.script(retry.jobId(), Script.steps(2, Duration.ofMillis(100)));
        kafka.cancel(retry.jobId(), 1, "carol");
        givenTheWorkerTimeToReadJobControl();
        kafka.submit(retry);

        await().atMost(TIMEOUT).until(() -> kafka.count(retry.jobId(), EventType.JOB_SUCCEEDED) == 1);
        assertThat(kafka.count(retry.jobId(), EventType.JOB_CANCELLED)).isZero();
    }

    /** The worker reads job-control on a thread of its own (polls of at most 0.5 s): let it see the request first. */
    private static void givenTheWorkerTimeToReadJobControl() throws InterruptedException {
        Thread.sleep(1500);
    }
}
