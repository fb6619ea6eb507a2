package dev.tuneforge.api.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The audit log {@code job_events}: the scheduler records the workers' events, the API its own decisions. */
@ApplicationScoped
public class JobEventRepository implements PanacheRepositoryBase<JobEventEntity, Long> {

    /** A job's audit trail in recording order, from after {@code afterSeq}. */
    public List<JobEventEntity> trail(UUID jobId, long afterSeq, int limit) {
        return find("jobId = ?1 and seq > ?2 order by seq", jobId, afterSeq).range(0, limit - 1).list();
    }

    /** Appends an entry; {@code cause} says why the API wrote it. The table refuses updates and deletes. */
    public void append(UUID eventId, UUID jobId, String type, int attempt, String source, Instant occurredAt,
            String cause, String payload) {
        getEntityManager().createNativeQuery("""
                INSERT INTO job_events (event_id, job_id, type, attempt, stale, source, occurred_at, cause, payload)
                VALUES (:event, :job, :type, :attempt, false, :source, :at, :cause, CAST(:payload AS jsonb))
                """)
                .setParameter("event", eventId)
                .setParameter("job", jobId)
                .setParameter("type", type)
                .setParameter("attempt", attempt)
                .setParameter("source", source)
                .setParameter("at", occurredAt)
                .setParameter("cause", cause)
                .setParameter("payload", payload)
                .executeUpdate();
    }
}
