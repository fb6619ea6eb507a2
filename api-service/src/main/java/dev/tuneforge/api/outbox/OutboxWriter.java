package dev.tuneforge.api.outbox;

import dev.tuneforge.api.config.ApiConfig;
import dev.tuneforge.api.persistence.OutboxEntity;
import dev.tuneforge.api.persistence.OutboxRepository;
import dev.tuneforge.common.events.CloudEvent;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobEventData;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Writes an event to the outbox inside the caller's transaction: the event reaches Kafka if and
 * only if the state change it announces commits. The relay is woken once the transaction commits.
 */
@ApplicationScoped
public class OutboxWriter {
    private final OutboxRepository outbox;
    private final EventCodec codec;
    private final ApiConfig config;
    private final Event<OutboxAppended> appended;

    OutboxWriter(OutboxRepository outbox, EventCodec codec, ApiConfig config, Event<OutboxAppended> appended) {
        this.outbox = outbox;
        this.codec = codec;
        this.config = config;
        this.appended = appended;
    }

    /** Appends {@code data} as a CloudEvent of {@code type} for {@code topic}, keyed by its job id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public CloudEvent append(String topic, EventType type, JobEventData data) {
        CloudEvent event = codec.wrap(type, config.eventSource(), data);
        OutboxEntity row = new OutboxEntity();
        row.eventId = UUID.fromString(event.id());
        row.jobId = data.jobId();
        row.topic = topic;
        row.recordKey = data.jobId().toString();
        row.payload = codec.encode(event);
        row.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        outbox.persist(row);
        appended.fire(new OutboxAppended(row.jobId));
        return event;
    }
}
