package dev.tuneforge.infra.kafka;

import static dev.tuneforge.infra.KafkaTestClients.WAIT;
import static dev.tuneforge.infra.KafkaTestClients.produce;
import static dev.tuneforge.infra.KafkaTestClients.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.common.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {
    @TempDir
    Path dir;

    @Test
    void shareConsumerReceivesAJobQueuedBeforeItJoined() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka"), 0)) {
            kafka.start();
            String jobId = UUID.randomUUID().toString();
            produce(kafka.bootstrapServers(), Topics.JOBS_TRAIN, jobId, "train " + jobId);

            String group = "workers-" + jobId;
            setGroupConfig(kafka.bootstrapServers(), group, "share.auto.offset.reset", "earliest");

            try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(shareConsumerConfig(kafka.bootstrapServers(), group))) {
                consumer.subscribe(Set.of(Topics.JOBS_TRAIN));
                ConsumerRecord<String, String> record = pollOne(consumer);
                consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                consumer.commitSync();

                assertThat(record.key()).isEqualTo(jobId);
                assertThat(record.value()).isEqualTo("train " + jobId);
                assertThat(record.deliveryCount()).contains((short) 1);
            }
        }
    }

    @Test
    void restartOnTheSameDirectoryKeepsTopicsAndRecords() throws Exception {
        Path data = dir.resolve("kafka");
        int port;
        String jobId = UUID.randomUUID().toString();
        try (EmbeddedKafka first = new EmbeddedKafka(data, 0)) {
            first.start();
            port = first.port();
            produce(first.bootstrapServers(), Topics.JOB_EVENTS, jobId, "started " + jobId);
            first.stop();
            assertThat(first.isRunning()).isFalse();
            first.start();
            produce(first.bootstrapServers(), Topics.JOB_EVENTS, jobId, "progress " + jobId);
        }

        try (EmbeddedKafka second = new EmbeddedKafka(data, port)) {
            second.start();
            assertThat(topicPartitions(second.bootstrapServers())).containsAllEntriesOf(expectedTopics());
            assertThat(readAll(second.bootstrapServers(), Topics.JOB_EVENTS, 2))
                    .containsExactly("started " + jobId, "progress " + jobId);
        }
    }

    private static Map<String, Integer> expectedTopics() {
        Map<String, Integer> expected = new HashMap<>();
        Topics.ALL.forEach(topic -> expected.put(topic, TopicSetup.partitions(topic)));
        return expected;
    }


    /** Group configs apply asynchronously: wait until the broker reports the new value. */
    private static void setGroupConfig(String bootstrap, String group, String name, String value) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET))))
                    .all().get();
            await("group config " + name + "=" + value + " applied").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> value.equals(admin.describeConfigs(List.of(resource)).all().get().get(resource)
                            .get(name).value()));
        }
    }

    private static Properties shareConsumerConfig(String bootstrap, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put("share.acknowledgement.mode", "explicit");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        return props;
    }

    private static ConsumerRecord<String, String> pollOne(KafkaShareConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                return record;
            }
        }
        throw new AssertionError("no record within " + WAIT);
    }

    private static Map<String, Integer> topicPartitions(String bootstrap) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<String, TopicDescription> topics = admin.describeTopics(Topics.ALL).allTopicNames().get();
            Map<String, Integer> partitions = new HashMap<>();
            topics.forEach((name, description) -> partitions.put(name, description.partitions().size()));
            return partitions;
        }
    }

}
