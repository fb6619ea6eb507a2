package dev.tuneforge.worker.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.infra.test.KafkaResource;
import dev.tuneforge.worker.testing.Script;
import dev.tuneforge.worker.testing.TestKafka;
import dev.tuneforge.worker.testing.WorkerConfigs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * {@code tuneforge.worker.concurrency=2}: one worker process, two command loops (two share-group
 * members), two jobs at once. Own topic (two partitions) and group, like {@link StandaloneWorkerTest}.
 */
class ConcurrencyTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int PARTITIONS = 2;

    @Test
    void twoLoopsRunTwoJobsAtTheSameTime() throws Exception {
        new KafkaResource().start();
        String bootstrapServers = KafkaResource.bootstrapServers();
        String group = "concurrency-" + UUID.randomUUID();
        String topic = group + ".jobs.train";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        JobHandler handler = new JobHandler() {
            @Override
            public JobKind kind() {
                return JobKind.TRAIN;
            }

            @Override
            public JobResult run(JobContext context) throws Exception {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    return Script.steps(3, Duration.ofSeconds(1)).run(context);
                } finally {
                    running.decrementAndGet();
                }
            }
        };
        JobRunner runner = new JobRunner(WorkerConfigs.of(Map.of("tuneforge.worker.group", group,
                "tuneforge.worker.kinds", "train", "tuneforge.worker.topics.train", topic,
                "tuneforge.worker.lock-duration", "3s", "tuneforge.worker.delivery-count-limit", "4",
                "tuneforge.worker.max-deliveries", "3", "tuneforge.worker.poll-timeout", "200ms",
                "tuneforge.worker.shutdown-timeout", "10s", "tuneforge.worker.concurrency", "2")),
                "two-loops", bootstrapServers, new JobHandlers(List.of(handler)));
        runner.start();
        try (TestKafka kafka = new TestKafka(bootstrapServers)) {
            await().atMost(TIMEOUT).until(() -> runner.state() == JobRunner.State.RUNNING);
            // With as many partitions as members each loop holds one: wait until both hold theirs.
            // (The group exists only once the members' first heartbeats reached the coordinator.)
            await().atMost(TIMEOUT).ignoreExceptions()
                    .until(() -> membersWithPartitions(bootstrapServers, group) == 2);
            List<JobCommand> commands = onePerPartition();
            commands.forEach(c -> kafka.submit(c, topic));
            await().atMost(TIMEOUT).until(() -> commands.stream()
                    .allMatch(c -> kafka.count(c.jobId(), EventType.JOB_SUCCEEDED) == 1));
        } finally {
            runner.stop();
        }
        assertThat(most.get()).as("jobs running at once").isEqualTo(2);
    }

    private static long membersWithPartitions(String bootstrapServers, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            ShareGroupDescription description = admin.describeShareGroups(List.of(group)).describedGroups().get(group)
                    .get();
            return description.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
        }
    }

    /** Two commands whose keys the producer puts on different partitions (BuiltInPartitioner.partitionForKey). */
    private static List<JobCommand> onePerPartition() {
        JobCommand[] byPartition = new JobCommand[PARTITIONS];
        int found = 0;
        while (found < PARTITIONS) {
            JobCommand command = TestKafka.command(TrainSpec.lora("sd15", "faces"));
            int partition = Utils.toPositive(Utils.murmur2(command.jobId().toString()
                    .getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            if (byPartition[partition] == null) {
                byPartition[partition] = command;
                found++;
            }
        }
        return new ArrayList<>(List.of(byPartition));
    }
}
