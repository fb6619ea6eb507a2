package dev.tuneforge.api.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tuneforge.api.auth.Caller;
import dev.tuneforge.api.config.ApiConfig;
import dev.tuneforge.api.persistence.JobEventRepository;
import dev.tuneforge.common.events.CloudEvent;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobEventData;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The API's own entries in the audit log, written in the transaction of the decision they record: a
 * job's submission, cancel request and cancel without a worker, and a workflow's submission and
 * cancel. Like the scheduler's own entries they carry a {@code cause}; an entry for a published event
 * has that event's id.
 */
@ApplicationScoped
public class AuditTrail {
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
        events.append(UUID.fromString(event.id()), UUID.fromString(event.subject()), null, event.type(), attempt,
                event.source(), event.time().toInstant(), cause, event.data().toString());
    }

    /** Records a decision that is not published anywhere (the API cancelled a job no worker had). */
    @Transactional(Transactional.TxType.MANDATORY)
    void record(EventType type, JobEventData data, String cause) {
        record(codec.wrap(type, config.eventSource(), data), data.attempt(), cause);
    }

    /**
     * Records a workflow's own transition that {@code caller} caused; it names the workflow and no job
     * (the jobs it touched get their own entries).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordWorkflow(UUID workflowId, String type, Caller caller, Object payload) {
        events.append(UUID.randomUUID(), null, workflowId, type, null, config.eventSource(),
                Instant.now().truncatedTo(ChronoUnit.MICROS), "user:" + caller.keyName(), json(payload));
    }

    private String json(Object payload) {
        try {
            return codec.mapper().writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an audit payload", e);
        }
    }
}
