package dev.tuneforge.infra.test;

import static dev.tuneforge.infra.KafkaTestClients.produce;
import static dev.tuneforge.infra.KafkaTestClients.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.common.Topics;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The Quarkus test resources, driven as Quarkus drives them: start() for the config, static accessors in tests. */
class TuneForgeInfraResourceTest {

    @Test
    void resourcesShareOnePlatformThatServesKafkaPostgresAndS3() throws Exception {
        Map<String, String> config = new TuneForgeInfraResource().start();
        assertThat(config).containsOnlyKeys("kafka.bootstrap.servers",
                "quarkus.datasource.jdbc.url", "quarkus.datasource.username", "quarkus.datasource.password",
                "tuneforge.s3.endpoint", "tuneforge.s3.access-key", "tuneforge.s3.secret-key", "tuneforge.s3.bucket");
        assertThat(new KafkaResource().start()).isEqualTo(Map.of("kafka.bootstrap.servers", config.get("kafka.bootstrap.servers")));
        assertThat(new PostgresResource().start()).containsEntry("quarkus.datasource.jdbc.url", config.get("quarkus.datasource.jdbc.url"));
        assertThat(S3Resource.endpoint()).isEqualTo(config.get("tuneforge.s3.endpoint"));

        try (Connection connection = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
             Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("SELECT current_database()")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("tuneforge");
        }

        byte[] image = {(byte) 0x89, 'P', 'N', 'G'};
        S3Resource.client().putObject(PutObjectArgs.builder().bucket(config.get("tuneforge.s3.bucket"))
                .object("tenants/t/jobs/j/samples/step-1/0.png").stream(new ByteArrayInputStream(image), image.length, -1).build());
        assertThat(S3Resource.client().statObject(StatObjectArgs.builder().bucket("tuneforge")
                .object("tenants/t/jobs/j/samples/step-1/0.png").build()).size()).isEqualTo(image.length);
    }

    @Test
    void kafkaComesBackWithItsRecordsAfterAnOutage() throws Exception {
        new KafkaResource().start();
        String bootstrap = KafkaResource.bootstrapServers();
        String jobId = UUID.randomUUID().toString();
        produce(bootstrap, Topics.JOB_EVENTS, jobId, "before " + jobId);

        KafkaResource.stopBroker();
        assertThatThrownBy(() -> sendWithoutWaiting(bootstrap, "during " + jobId))
                .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);

        KafkaResource.startBroker();
        assertThat(KafkaResource.bootstrapServers()).isEqualTo(bootstrap);
        produce(bootstrap, Topics.JOB_EVENTS, jobId, "after " + jobId);
        assertThat(readAll(bootstrap, Topics.JOB_EVENTS, 2)).containsSubsequence("before " + jobId, "after " + jobId);
    }

    /** With the broker down, a send gives up after max.block.ms instead of retrying for minutes. */
    private static void sendWithoutWaiting(String bootstrap, String value) throws ExecutionException, InterruptedException {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.JOB_EVENTS, value)).get();
        }
    }
}
