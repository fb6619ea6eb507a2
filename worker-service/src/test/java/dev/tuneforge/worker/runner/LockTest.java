package dev.tuneforge.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.events.JobFailed;
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

/**
 * The share-group lock with a %test lock duration of 3 s: renewed while a job runs longer, and given
 * up on after too many deliveries. (A worker that dies holding a command: {@link StandaloneWorkerTest}.)
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class LockTest {
    static final Duration JOB_TIMEOUT = Duration.ofSeconds(40);

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

    /**
     * The job runs for more than two lock durations. Had its lock run out, the broker would deliver
     * the command again (to this worker, the only member assigned its partition, or another), the
     * renewal would fail and the job would be stopped without a terminal event.
     */
    @Test
    void aJobLongerThanTheLockKeepsItsRecordAndRunsOnce() {
        JobCommand command = TestKafka.command(TrainSpec.lora("sd15", "faces"));
        UUID id = command.jobId();
        handler.script(id, Script.steps(8, Duration.ofSeconds(1)));
        kafka.submit(command);

        await().atMost(JOB_TIMEOUT).until(() -> kafka.count(id, EventType.JOB_SUCCEEDED) == 1);
        assertThat(kafka.count(id, EventType.JOB_PROGRESS)).isGreaterThanOrEqualTo(8);
        await().during(JobRunnerTest.LONGER_THAN_A_LOCK).atMost(JobRunnerTest.LONGER_THAN_A_LOCK.plusSeconds(5))
                .until(() -> handler.runs(id).size() == 1 && kafka.count(id, EventType.JOB_STARTED) == 1);
        assertThat(handler.runs(id)).containsExactly(1);
    }

    @Test
    void aCommandDeliveredMoreThanMaxDeliveriesFailsWithTheReason() {
        JobCommand command = TestKafka.command(TrainSpec.lora("sd15", "faces"));
        UUID id = command.jobId();
        handler.script(id, Script.throwing(new RetryableJobException("S3 unreachable")));
        kafka.submit(command);

        await().atMost(JOB_TIMEOUT).until(() -> kafka.first(id, EventType.JOB_FAILED, JobFailed.class).isPresent());
        JobFailed failed = kafka.first(id, EventType.JOB_FAILED, JobFailed.class).orElseThrow();
        assertThat(failed.reason()).startsWith("delivered 4 times without completing (limit 3)");
        // %test: max-deliveries=3 below the broker's delivery-count-limit=4, so the 4th delivery reports.
        assertThat(handler.runs(id)).containsExactly(1, 2, 3);
        assertThat(kafka.count(id, EventType.JOB_STARTED)).isEqualTo(3);
    }
}
