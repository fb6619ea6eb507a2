package dev.tuneforge.scheduler.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import javax.sql.DataSource;

/** The idempotency record: an event id is marked in the same transaction as its effect. */
@ApplicationScoped
public class ProcessedEvents {
    private final DataSource dataSource;

    public ProcessedEvents(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Marks the event processed by {@code consumer}; false when it already was (a redelivery). */
    public boolean markFirstDelivery(String consumer, UUID eventId) {
        return Sql.update(dataSource, "INSERT INTO processed_events (consumer, event_id) VALUES (?, ?)"
                + " ON CONFLICT DO NOTHING", consumer, eventId) == 1;
    }
}
