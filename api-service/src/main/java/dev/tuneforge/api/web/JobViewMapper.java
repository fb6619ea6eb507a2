package dev.tuneforge.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.api.persistence.CheckpointRepository.CheckpointRow;
import dev.tuneforge.api.persistence.JobEntity;
import dev.tuneforge.api.persistence.JobEventEntity;
import dev.tuneforge.common.events.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Maps rows to the API's views; the JSON columns are handed out as JSON, not as escaped strings. */
@ApplicationScoped
public class JobViewMapper {
    private final ObjectMapper mapper;

    JobViewMapper(EventCodec codec) {
        this.mapper = codec.mapper();
    }

    public JobView view(JobEntity job) {
        return view(job, null);
    }

    /** The job with its checkpoints (the single-job view; lists leave them out). */
    public JobView view(JobEntity job, List<CheckpointRow> checkpoints) {
        return new JobView(job.id, job.kind.wireName(), job.status.name(), job.attempt, json(job.spec),
                job.submittedBy, job.createdAt, job.updatedAt, job.startedAt, job.finishedAt, job.failureReason,
                json(job.progress), json(job.artifacts), checkpoints == null ? null : checkpoints.stream()
                        .map(c -> new JobView.CheckpointView(c.step(), c.location(), json(c.metrics()),
                                c.reportLocation(), json(c.samples())))
                        .toList());
    }

    public JobEventView view(JobEventEntity event) {
        return new JobEventView(event.seq, event.eventId, event.type, event.attempt, event.stale, event.source,
                event.occurredAt, event.recordedAt, event.cause, json(event.payload));
    }

    public AuditEntryView auditView(JobEventEntity event) {
        return new AuditEntryView(event.seq, event.eventId, event.jobId, event.workflowId, event.type, event.attempt,
                event.stale, event.source, event.occurredAt, event.recordedAt, event.cause, json(event.payload));
    }

    private JsonNode json(String column) {
        if (column == null) {
            return null;
        }
        try {
            return mapper.readTree(column);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSONB column holds invalid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
