package dev.tuneforge.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCancelled;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.infra.test.KafkaResource;
import dev.tuneforge.worker.messaging.ShareGroupConfigurer;
import dev.tuneforge.worker.messaging.ShareGroupSettings;
import dev.tuneforge.worker.testing.Script;
import dev.tuneforge.worker.testing.ShareGroupMember;
import dev.tuneforge.worker.testing.TestKafka;
import dev.tuneforge.worker.testing.WorkerConfigs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Job runners outside Quarkus against the real Kafka, for what needs workers that start, stop or
 * die: a worker that dies holding a command, a graceful shutdown that hands the running job to
 * another worker, a worker that starts after a cancel request. Each test has its own train topic and
 * share group, so the Quarkus worker of the other tests never sees these commands.
 */
class StandaloneWorkerTest {
    static final Duration TIMEOUT = Duration.ofSeconds(40);
    static final Duration LONGER_THAN_A_LOCK = Duration.ofSeconds(5);

    static String bootstrapServers;

    String group;
    String trainTopic;
    TestKafka kafka;
    final List<JobRunner> runners = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void kafka() {
        new KafkaResource().start();
        bootstrapServers = KafkaResource.bootstrapServers();
    }

    @AfterAll
    static void leaveKafkaRunning() {
        // The platform is shared with the other test classes of this JVM and stops when it exits.
    }

    @BeforeEach
    void ownTopicAndGroup() throws Exception {
        String name = "standalone-" + UUID.randomUUID();
        group = name;
        trainTopic = name + ".jobs.train";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(trainTopic, 2, (short) 1))).all().get();
        }
        kafka = new TestKafka(bootstrapServers);
    }

    @AfterEach
    void stopRunners() {
        runners.forEach(JobRunner::stop);
        kafka.close();
    }

    /**
     * The dead worker takes the command and never polls or acknowledges again (a hung process; a
     * killed one behaves alike, only it leaves the group after the session timeout instead). Its
     * lock runs out after 3 s and, once it is out of the group (its 6 s {@code max.poll.interval.ms}),
     * its partitions and the command go to the live worker: with fewer workers than partitions a
     * partition has one worker, so the command waits for both.
     */
    @Test
    void aCommandHeldByAWorkerThatStoppedPollingIsRunByALiveWorkerOnceAndSucceeds() throws Exception {
        JobCommand command = TestKafka.command(TrainSpec.lora("sd15", "faces"));
        UUID id = command.jobId();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            // The dead worker is the group's first member: the group must read from the earliest offset already.
            new ShareGroupConfigurer(admin).apply(new ShareGroupSettings(group, Duration.ofSeconds(3), 4), TIMEOUT);
        }
        kafka.submit(command, trainTopic);
        try (ShareGroupMember deadWorker = new ShareGroupMember(bootstrapServers, group, "dead-worker",
                List.of(trainTopic), Map.of("max.poll.interval.ms", 6000))) {
            ConsumerRecord<String, byte[]> held = deadWorker.acquire(r -> id.toString().equals(r.key()), TIMEOUT);
            assertThat(held).as("the dead worker took the command").isNotNull();
            assertThat(held.deliveryCount()).contains((short) 1);

            List<Integer> deliveries = new CopyOnWriteArrayList<>();
            runner("live", context -> {
                deliveries.add(context.delivery());
                return Script.steps(2, Duration.ofMillis(100)).run(context);
            });

            await().atMost(TIMEOUT).until(() -> kafka.count(id, EventType.JOB_SUCCEEDED) == 1);
            assertThat(deliveries).containsExactly(2);
            await().during(LONGER_THAN_A_LOCK).atMost(LONGER_THAN_A_LOCK.plusSeconds(5))
                    .until(() -> kafka.count(id, EventType.JOB_SUCCEEDED) == 1 && deliveries.size() == 1);
        }
    }

    @Test
    void aGracefulShutdownReleasesTheRunningJobAndAnotherWorkerResumesIt() {
        JobCommand command = TestKafka.command(TrainSpec.lora("sd15", "faces"));
        UUID id = command.jobId();
        List<Integer> deliveries = new CopyOnWriteArrayList<>();
        List<String> stoppedAt = new CopyOnWriteArrayList<>();
        Script resumable = context -> {
            deliveries.add(context.delivery());
            JobResult result = Script.steps(context.delivery() == 1 ? 1000 : 2, Duration.ofMillis(50)).run(context);
            if (result instanceof JobResult.Stopped) {
                stoppedAt.add("stopped on delivery " + context.delivery());
            }
            return result;
        };
        JobRunner first = runner("first", resumable);
        kafka.submit(command, trainTopic);
        await().atMost(TIMEOUT).until(() -> kafka.count(id, EventType.JOB_PROGRESS) >= 2);

        first.stop();

        assertThat(first.state()).isEqualTo(JobRunner.State.STOPPED);
        assertThat(stoppedAt).containsExactly("stopped on delivery 1");
        assertThat(kafka.types(id)).doesNotContain(EventType.JOB_SUCCEEDED, EventType.JOB_FAILED, EventType.JOB_CANCELLED);

        runner("second", resumable);
        await().atMost(TIMEOUT).until(() -> kafka.count(id, EventType.JOB_SUCCEEDED) == 1);
        assertThat(deliveries).containsExactly(1, 2);
        assertThat(kafka.count(id, EventType.JOB_STARTED)).isEqualTo(2);
    }

    @Test
    void aWorkerThatStartsAfterACancelRequestStillCancelsTheJob() {
        JobCommand command = TestKafka.command(TrainSpec.lora("sd15", "faces"));
        kafka.cancel(command.jobId(), 1, "dave");
        kafka.submit(command, trainTopic);
        List<Integer> runs = new CopyOnWriteArrayList<>();

        runner("late", context -> {
            runs.add(context.delivery());
            return JobResult.succeeded(Map.of());
        });

        await().atMost(TIMEOUT).until(() -> kafka.first(command.jobId(), EventType.JOB_CANCELLED, JobCancelled.class).isPresent());
        assertThat(kafka.first(command.jobId(), EventType.JOB_CANCELLED, JobCancelled.class).orElseThrow().reason())
                .isEqualTo("cancelled by dave before it started");
        assertThat(runs).isEmpty();
    }

    private JobRunner runner(String workerId, Script script) {
        Map<String, String> properties = Map.of(
                "tuneforge.worker.group", group,
                "tuneforge.worker.kinds", "train",
                "tuneforge.worker.topics.train", trainTopic,
                "tuneforge.worker.lock-duration", "3s",
                "tuneforge.worker.delivery-count-limit", "4",
                "tuneforge.worker.max-deliveries", "3",
                "tuneforge.worker.heartbeat-interval", "1s",
                "tuneforge.worker.poll-timeout", "200ms",
                "tuneforge.worker.shutdown-timeout", "10s");
        JobHandler handler = new JobHandler() {
            @Override
            public JobKind kind() {
                return JobKind.TRAIN;
            }

            @Override
            public JobResult run(JobContext context) throws Exception {
                return script.run(context);
            }
        };
        JobRunner runner = new JobRunner(WorkerConfigs.of(properties), workerId, bootstrapServers,
                new JobHandlers(List.of(handler)));
        runners.add(runner);
        runner.start();
        await().atMost(TIMEOUT).until(() -> runner.state() == JobRunner.State.RUNNING);
        return runner;
    }
}
