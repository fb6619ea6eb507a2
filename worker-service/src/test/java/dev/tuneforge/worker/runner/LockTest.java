package dev.tuneforge.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.common.Topics;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.events.JobFailed;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.infra.test.KafkaResource;
import dev.tuneforge.worker.testing.Script;
import dev.tuneforge.worker.testing.ScriptedTrainHandler;
import dev.tuneforge.worker.testing.ShareGroupMember;
import dev.tuneforge.worker.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The share-group lock with a %test lock duration of 3 s: renewed while a job runs longer, taken
 * over from a worker that died holding it, and given up on after too many deliveries.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
class LockTest {
    static final Duration JOB_TIMEOUT = Duration.ofSeconds(40);
    static final String GROUP = "tuneforge-workers";

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

    /**
     * A worker that stops polling while it holds a command (hung, or dead without closing) loses it:
     * its lock runs out, and once the worker is out of the group (here after its 6 s
     * {@code max.poll.interval.ms}; a crashed one after the group's session timeout) its partitions,
     * and the command with them, go to a live worker. With fewer workers than partitions each
     * partition has one member, so the command is published to a partition of the dead worker's.
     */
    @Test
    void aJobHeldByAWorkerThatStoppedPollingIsRunByTheLiveWorkerAndSucceedsOnce() throws Exception {
        JobCommand command = TestKafka.command(TrainSpec.lora("sd15", "faces"));
        UUID id = command.jobId();
        handler.script(id, Script.steps(2, Duration.ofMillis(200)));
        try (ShareGroupMember deadWorker = new ShareGroupMember(bootstrapServers, GROUP, "dead-worker", Topics.COMMANDS,
                Map.of("max.poll.interval.ms", 6000));
                Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            // A member takes up its assignment as it polls. Describing the group fails until the
            // coordinator has it: ignore that while waiting.
            int partition = await().atMost(JOB_TIMEOUT).ignoreExceptions().until(() -> {
                deadWorker.pollAndRelease(Duration.ofMillis(200));
                return trainPartitionOnlyOf(ShareGroupMember.assignments(admin, GROUP), deadWorker.clientId());
            }, found -> found >= 0);
            kafka.submit(command, Topics.JOBS_TRAIN, partition);
            ConsumerRecord<String, byte[]> held = deadWorker.acquire(r -> id.toString().equals(r.key()), JOB_TIMEOUT);
            assertThat(held).as("the dead worker took the command").isNotNull();
            assertThat(held.deliveryCount()).contains((short) 1);
            // From here on the dead worker never polls or acknowledges again.

            await().atMost(JOB_TIMEOUT).until(() -> kafka.count(id, EventType.JOB_SUCCEEDED) == 1);
            assertThat(handler.runs(id)).containsExactly(2);
            await().during(JobRunnerTest.LONGER_THAN_A_LOCK).atMost(JobRunnerTest.LONGER_THAN_A_LOCK.plusSeconds(5))
                    .until(() -> kafka.count(id, EventType.JOB_SUCCEEDED) == 1 && handler.runs(id).size() == 1);
        }
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

    /** A train partition assigned to {@code clientId} and to no other member, or -1. */
    private static int trainPartitionOnlyOf(Map<String, Set<TopicPartition>> assignments, String clientId) {
        Set<TopicPartition> others = assignments.entrySet().stream().filter(e -> !e.getKey().equals(clientId))
                .flatMap(e -> e.getValue().stream()).collect(Collectors.toSet());
        return assignments.getOrDefault(clientId, Set.of()).stream()
                .filter(p -> p.topic().equals(Topics.JOBS_TRAIN) && !others.contains(p))
                .mapToInt(TopicPartition::partition).findFirst().orElse(-1);
    }
}
