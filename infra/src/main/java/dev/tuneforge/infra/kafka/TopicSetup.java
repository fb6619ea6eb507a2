package dev.tuneforge.infra.kafka;

import dev.tuneforge.common.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Creates the TuneForge topics ({@link Topics#ALL}) on a running broker, leaving existing ones alone. */
public final class TopicSetup {
    /**
     * Job events are spread over several partitions (keyed by job id: ordered per job, and a
     * consumer group of several schedulers can share them).
     */
    static final int PARTITIONS = 6;
    /**
     * Command topics have one partition: Kafka 4.3.1's share-group assignor gives each partition to
     * ceil(members / partitions) members, so with fewer workers than partitions every partition is
     * pinned to one worker, and a job waits behind that worker's running job while others sit idle
     * (and a dead worker's job moves only after its session times out). With one partition every
     * worker shares it: any idle worker gets the next job. Cancel requests and dead letters are rare,
     * and every worker reads all of job-control anyway.
     */
    static final int SINGLE_PARTITION = 1;
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(60);

    private TopicSetup() {
    }

    public static int partitions(String topic) {
        return topic.equals(Topics.JOB_EVENTS) ? PARTITIONS : SINGLE_PARTITION;
    }

    static void ensureTopics(String bootstrapServers) {
        List<NewTopic> topics = Topics.ALL.stream()
                .map(name -> new NewTopic(name, partitions(name), (short) 1))
                .toList();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(topics).values().forEach(TopicSetup::awaitCreated);
            awaitLeaders(admin);
        }
    }

    /**
     * A topic is usable once every partition has a leader; until then producers see NOT_LEADER
     * errors. Right after creation the broker may not know a new topic yet (it answers
     * UNKNOWN_TOPIC_OR_PARTITION until its metadata catches up): that too means "not yet".
     */
    private static void awaitLeaders(Admin admin) {
        long deadline = System.nanoTime() + LEADER_TIMEOUT.toNanos();
        try {
            while (!allLeadersElected(admin)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("TuneForge topics have no partition leaders after " + LEADER_TIMEOUT);
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for partition leaders", e);
        }
    }

    private static boolean allLeadersElected(Admin admin) throws InterruptedException {
        try {
            return admin.describeTopics(Topics.ALL).allTopicNames().get().values().stream()
                    .allMatch(topic -> topic.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw new IllegalStateException("cannot describe the TuneForge topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static void awaitCreated(String topic, KafkaFuture<Void> result) {
        try {
            result.get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create Kafka topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kafka topic " + topic, e);
        }
    }
}
