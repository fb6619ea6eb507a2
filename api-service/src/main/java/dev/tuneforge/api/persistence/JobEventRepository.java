package dev.tuneforge.api.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.query.NativeQuery;

/** The audit log {@code job_events}: the scheduler records the workers' events, the API its own decisions. */
@ApplicationScoped
public class JobEventRepository implements PanacheRepositoryBase<JobEventEntity, Long> {

    /** A job's audit trail in recording order, from after {@code afterSeq}. */
    public List<JobEventEntity> trail(UUID jobId, long afterSeq, int limit) {
        return find("jobId = ?1 and seq > ?2 order by seq", jobId, afterSeq).range(0, limit - 1).list();
    }

    /**
     * Appends an entry; {@code cause} says why the API wrote it. A job's entry has no workflow, a workflow's
     * own entry no job (and no attempt). The table refuses updates and deletes.
     */
    public void append(UUID eventId, UUID jobId, UUID workflowId, String type, Integer attempt, String source,
            Instant occurredAt, String cause, String payload) {
        // Typed, because a null job, workflow or attempt must still bind as uuid / int.
        getEntityManager().createNativeQuery("""
                INSERT INTO job_events (event_id, job_id, workflow_id, type, attempt, stale, source, occurred_at, cause,
                                        payload)
                VALUES (:event, :job, :workflow, :type, :attempt, false, :source, :at, :cause, CAST(:payload AS jsonb))
                """).unwrap(NativeQuery.class)
                .setParameter("event", eventId)
                .setParameter("job", jobId, UUID.class)
                .setParameter("workflow", workflowId, UUID.class)
                .setParameter("type", type)
                .setParameter("attempt", attempt, Integer.class)
                .setParameter("source", source)
                .setParameter("at", occurredAt)
                .setParameter("cause", cause)
                .setParameter("payload", payload)
                .executeUpdate();
    }
}
