package dev.tuneforge.scheduler.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Writes rows for the api-service's outbox relay, the only component that publishes commands:
 * the scheduler's commands reach Kafka only if the transaction that decided them commits.
 */
@ApplicationScoped
public class Outbox {
    private final DataSource dataSource;

    public Outbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Queues {@code payload} (CloudEvents JSON) for {@code topic}, keyed by the job id so a job's records stay in order. */
    public void append(UUID eventId, UUID jobId, String topic, byte[] payload) {
        Sql.update(dataSource, "INSERT INTO outbox (event_id, job_id, topic, record_key, payload) VALUES (?, ?, ?, ?, ?)",
                eventId, jobId, topic, jobId.toString(), payload);
    }
}
