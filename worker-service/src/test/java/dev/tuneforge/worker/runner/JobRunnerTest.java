package dev.tuneforge.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.common.Topics;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.events.JobFailed;
import dev.tuneforge.common.events.JobStarted;
import dev.tuneforge.common.events.JobSucceeded;
import dev.tuneforge.common.jobs.EvaluateSpec;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.infra.test.KafkaResource;
import dev.tuneforge.worker.testing.Script;
import dev.tuneforge.worker.testing.ScriptedTrainHandler;
import dev.tuneforge.worker.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runner against a real Kafka: a command's trip through the worker and what it publishes. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class JobRunnerTest {
    /** Longer than the %test lock duration (3 s): a record that was not accepted would be delivered again by then. */
    static final Duration LONGER_THAN_A_LOCK = Duration.ofSeconds(5);
    static final Duration JOB_TIMEOUT = Duration.ofSeconds(30);

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
    void runsACommandAndReportsStartedProgressSucceededInOrderAndAcceptsItOnce() {
        JobCommand command = TestKafka.command(TrainSpec.lora("sd15", "faces"));
        handler.script(command.jobId(), Script.steps(3, Duration.ofMillis(300)));
        kafka.submit(command);

        UUID id = command.jobId();
        await().atMost(JOB_TIMEOUT).until(() -> kafka.count(id, EventType.JOB_SUCCEEDED) == 1);
        List<EventType> types = kafka.types(id);
        assertThat(types.get(0)).isEqualTo(EventType.JOB_STARTED);
        assertThat(types.subList(1, types.size() - 1)).isNotEmpty().containsOnly(EventType.JOB_PROGRESS);
        assertThat(types.get(types.size() - 1)).isEqualTo(EventType.JOB_SUCCEEDED);
        assertThat(kafka.first(id, EventType.JOB_STARTED, JobStarted.class)).get()
                .extracting(JobStarted::workerId).isEqualTo("test-worker");
        assertThat(kafka.first(id, EventType.JOB_SUCCEEDED, JobSucceeded.class)).get()
                .extracting(JobSucceeded::artifacts).asString().contains("tenants/local/jobs/" + id + "/final");

        // Accepted: the record is not delivered again once its lock would have run out.
        await().during(LONGER_THAN_A_LOCK).atMost(LONGER_THAN_A_LOCK.plusSeconds(5))
                .until(() -> handler.runs(id).size() == 1 && kafka.count(id, EventType.JOB_STARTED) == 1);
        assertThat(handler.runs(id)).containsExactly(1);
    }

    @Test
    void aKindWithoutHandlerFailsWithAClearReason() {
        JobCommand command = kafka.submit(TestKafka.command(new EvaluateSpec("sd15", "faces", null, null)));

        JobFailed failed = awaitFailed(command.jobId());
        assertThat(failed.reason()).isEqualTo(
                "no handler for job kind 'evaluate' on worker test-worker: this worker build has no evaluate handler");
        assertThat(failed.retryable()).isFalse();
        assertThat(kafka.types(command.jobId())).containsExactly(EventType.JOB_FAILED);
    }

    @Test
    void badInputFailsTheJobWithoutRetry() {
        JobCommand command = TestKafka.command(TrainSpec.lora("sd15", "faces"));
        handler.script(command.jobId(), Script.throwing(new BadInputException("images/cat.png: not a PNG, JPEG or WebP image")));
        kafka.submit(command);

        JobFailed failed = awaitFailed(command.jobId());
        assertThat(failed.reason()).isEqualTo("images/cat.png: not a PNG, JPEG or WebP image");
        assertThat(failed.retryable()).isFalse();
        assertThat(kafka.types(command.jobId())).containsExactly(EventType.JOB_STARTED, EventType.JOB_FAILED);
        await().during(LONGER_THAN_A_LOCK).atMost(LONGER_THAN_A_LOCK.plusSeconds(5))
                .until(() -> handler.runs(command.jobId()).size() == 1);
    }

    @Test
    void anUnexpectedHandlerErrorFailsTheJobAsRetryableAndNamesTheError() {
        JobCommand command = TestKafka.command(TrainSpec.lora("sd15", "faces"));
        handler.script(command.jobId(), Script.throwing(new IllegalStateException("optimizer state missing")));
        kafka.submit(command);

        JobFailed failed = awaitFailed(command.jobId());
        assertThat(failed.reason()).isEqualTo("train handler failed: IllegalStateException: optimizer state missing");
        assertThat(failed.retryable()).isTrue();
    }

    @Test
    void anInvalidSpecFailsBeforeTheHandlerRuns() {
        TrainSpec zeroSteps = new TrainSpec(null, "sd15", "faces", 0, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null);
        JobCommand command = kafka.submit(TestKafka.command(zeroSteps));

        JobFailed failed = awaitFailed(command.jobId());
        assertThat(failed.reason()).startsWith("invalid spec: spec.steps: ");
        assertThat(failed.retryable()).isFalse();
        assertThat(handler.runs(command.jobId())).isEmpty();
    }

    @Test
    void anInfrastructureFaultReleasesTheRecordAndTheNextDeliverySucceeds() {
        JobCommand command = TestKafka.command(TrainSpec.lora("sd15", "faces"));
        handler.script(command.jobId(), Script.failFirstDelivery(new RetryableJobException("S3 read timed out"),
                Script.steps(2, Duration.ofMillis(100))));
        kafka.submit(command);

        UUID id = command.jobId();
        await().atMost(JOB_TIMEOUT).until(() -> kafka.count(id, EventType.JOB_SUCCEEDED) == 1);
        assertThat(handler.runs(id)).containsExactly(1, 2);
        assertThat(kafka.count(id, EventType.JOB_STARTED)).isEqualTo(2);
        assertThat(kafka.count(id, EventType.JOB_FAILED)).isZero();
    }

    @Test
    void unreadableRecordsGoToTheDlqWithTheReasonAndTheNextCommandStillRuns() {
        String notJson = "not-json-" + UUID.randomUUID();
        kafka.send(Topics.JOBS_TRAIN, notJson, "{this is not json".getBytes(StandardCharsets.UTF_8));
        String unknownType = "unknown-type-" + UUID.randomUUID();
        kafka.send(Topics.JOBS_TRAIN, unknownType, ("{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID()
                + "\",\"source\":\"/x\",\"type\":\"dev.tuneforge.job.exploded\",\"data\":{}}").getBytes(StandardCharsets.UTF_8));
        JobCommand good = TestKafka.command(TrainSpec.lora("sd15", "faces"));
        handler.script(good.jobId(), Script.steps(1, Duration.ofMillis(50)));
        kafka.submit(good);

        await().atMost(JOB_TIMEOUT).until(() -> kafka.count(good.jobId(), EventType.JOB_SUCCEEDED) == 1);
        await().atMost(JOB_TIMEOUT).until(() -> !kafka.deadLetters(notJson).isEmpty() && !kafka.deadLetters(unknownType).isEmpty());

        ConsumerRecord<String, byte[]> malformed = kafka.deadLetters(notJson).get(0);
        assertThat(new String(malformed.value(), StandardCharsets.UTF_8)).isEqualTo("{this is not json");
        assertThat(TestKafka.header(malformed, Topics.DLQ_REASON_HEADER)).startsWith("malformed JSON");
        assertThat(TestKafka.header(malformed, Topics.DLQ_SOURCE_TOPIC_HEADER)).isEqualTo(Topics.JOBS_TRAIN);
        assertThat(TestKafka.header(malformed, Topics.DLQ_CONSUMER_HEADER)).isEqualTo("tuneforge-workers/test-worker");
        assertThat(TestKafka.header(kafka.deadLetters(unknownType).get(0), Topics.DLQ_REASON_HEADER))
                .isEqualTo("unknown event type 'dev.tuneforge.job.exploded'");
        // Accepted after dead-lettering: not delivered (and dead-lettered) again.
        await().during(LONGER_THAN_A_LOCK).atMost(LONGER_THAN_A_LOCK.plusSeconds(5))
                .until(() -> kafka.deadLetters(notJson).size() == 1 && kafka.deadLetters(unknownType).size() == 1);
    }

    @Test
    void aCommandOnAnotherKindsTopicGoesToTheDlq() {
        JobCommand command = kafka.submit(TestKafka.command(TrainSpec.lora("sd15", "faces")), Topics.JOBS_GENERATE);

        await().atMost(JOB_TIMEOUT).until(() -> !kafka.deadLetters(command.jobId().toString()).isEmpty());
        assertThat(TestKafka.header(kafka.deadLetters(command.jobId().toString()).get(0), Topics.DLQ_REASON_HEADER))
                .isEqualTo("a 'train' command on topic tuneforge.jobs.generate: train commands belong on tuneforge.jobs.train");
        assertThat(handler.runs(command.jobId())).isEmpty();
    }

    private JobFailed awaitFailed(UUID jobId) {
        await().atMost(JOB_TIMEOUT).until(() -> kafka.first(jobId, EventType.JOB_FAILED, JobFailed.class).isPresent());
        return kafka.first(jobId, EventType.JOB_FAILED, JobFailed.class).orElseThrow();
    }
}
