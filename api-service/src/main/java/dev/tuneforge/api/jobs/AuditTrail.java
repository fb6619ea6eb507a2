package dev.tuneforge.api.jobs;

import dev.tuneforge.api.config.ApiConfig;
import dev.tuneforge.api.persistence.JobEventRepository;
import dev.tuneforge.common.events.CloudEvent;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobEventData;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * The API's own entries in a job's audit trail, written in the transaction of the decision they
 * record: a submission, a cancel request, a cancel without a worker. Like the scheduler's own
 * entries they carry a {@code cause}; an entry for a published event has that event's id.
 */
@ApplicationScoped
class AuditTrail {
    static final String SUBMIT = "api:submit";
    static final String CANCEL = "api:cancel";

    private final JobEventRepository events;
    private final EventCodec codec;
    private final ApiConfig config;

    AuditTrail(JobEventRepository events, EventCodec codec, ApiConfig config) {
        this.events = events;
        this.codec = codec;
        this.config = config;
    }

    /** Records an event the API also put in the outbox. */
    @Transactional(Transactional.TxType.MANDATORY)
    void record(CloudEvent event, int attempt, String cause) {
        events.append(UUID.fromString(event.id()), UUID.fromString(event.subject()), event.type(), attempt,
                event.source(), event.time().toInstant(), cause, event.data().toString());
    }

    /** Records a decision that is not published anywhere (the API cancelled a job no worker had). */
    @Transactional(Transactional.TxType.MANDATORY)
    void record(EventType type, JobEventData data, String cause) {
        record(codec.wrap(type, config.eventSource(), data), data.attempt(), cause);
    }
}
