package dev.tuneforge.scheduler.support;

import dev.tuneforge.infra.test.KafkaResource;
import dev.tuneforge.infra.test.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the black-box scheduler tests share: the real embedded Kafka and PostgreSQL, rows arranged and read
 * through {@link TestJobs}, job events published as a worker would through {@link TestEvents}.
 */
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
public abstract class EventDrivenTest {
    /** Generous: CI shares 2 cores with the whole build, and a slow pass must not read as a lost event. */
    protected static final Duration PATIENCE = Duration.ofSeconds(180);

    @Inject
    protected DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    protected TestJobs jobs;
    protected TestEvents events;

    @BeforeEach
    void connect() {
        jobs = new TestJobs(dataSource);
        events = new TestEvents(bootstrapServers);
    }

    @AfterEach
    void disconnect() {
        events.close();
    }
}
