package dev.tuneforge.worker.health;

import dev.tuneforge.worker.config.WorkerIdentity;
import dev.tuneforge.worker.messaging.KafkaClients;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while a Kafka broker answers: without it the worker can neither take nor report jobs. */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {
    private static final int TIMEOUT_MS = 3000;

    private final String bootstrapServers;
    private final Admin admin;

    @Inject
    public KafkaReadinessCheck(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            WorkerIdentity identity) {
        this(bootstrapServers, identity.id());
    }

    KafkaReadinessCheck(String bootstrapServers, String workerId) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(new KafkaClients(bootstrapServers, workerId).admin("health"));
    }

    @Override
    public HealthCheckResponse call() {
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS))
                    .nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
            return HealthCheckResponse.named("kafka").up()
                    .withData("bootstrap.servers", bootstrapServers).withData("nodes", nodes).build();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return HealthCheckResponse.named("kafka").down()
                    .withData("bootstrap.servers", bootstrapServers)
                    .withData("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
