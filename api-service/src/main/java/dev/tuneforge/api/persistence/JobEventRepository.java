package dev.tuneforge.api.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.query.NativeQuery;

/** The audit log {@code job_events}: the scheduler records the workers' events, the API its own decisions. */
@ApplicationScoped
public class JobEventRepository implements PanacheRepositoryBase<JobEventEntity, Long> {

    /** A job's audit trail in recording order, from after {@code afterSeq}. */
    public List<JobEventEntity> trail(UUID jobId, long afterSeq, int limit) {
        return find("jobId = ?1 and seq > ?2 and seq <= ?3 order by seq", jobId, afterSeq, committedSeq())
                .range(0, limit - 1).list();
    }

    /**
     * The highest seq no open transaction can still commit (migration V6): a page reads only up to it, so a
     * cursor never moves past a row that commits later. Its own statement, before the page's: the page then
     * reads with a snapshot taken after every seq up to it was decided.
     */
    private long committedSeq() {
        return ((Number) getEntityManager().createNativeQuery("SELECT job_events_committed_seq()").getSingleResult())
                .longValue();
    }

    /**
     * Up to {@code limit} rows of the tenant's audit log after {@code afterSeq}, in log order, that {@code filter}
     * keeps. job_events has no tenant: a row belongs to its job's tenant, or (no job) its workflow's. Each row's
     * {@code workflowId} is its own or, for a job's row, the job's workflow.
     */
    public List<JobEventEntity> audit(String tenantId, AuditFilter filter, long afterSeq, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT e.seq, e.event_id, e.job_id, COALESCE(e.workflow_id, j.workflow_id) AS workflow_id, e.type,
                       e.attempt, e.stale, e.source, e.occurred_at, e.recorded_at, e.cause, e.payload
                FROM job_events e
                LEFT JOIN jobs j ON j.id = e.job_id
                LEFT JOIN workflows w ON w.id = e.workflow_id
                WHERE COALESCE(j.tenant_id, w.tenant_id) = :tenant AND e.seq > :after AND e.seq <= :horizon""");
        Map<String, Object> parameters = new HashMap<>(Map.of("tenant", tenantId, "after", afterSeq, "limit", limit,
                "horizon", committedSeq()));
        if (filter.workflowId() != null) {
            sql.append(" AND (e.workflow_id = :workflow OR j.workflow_id = :workflow)");
            parameters.put("workflow", filter.workflowId());
        }
        if (filter.jobId() != null) {
            sql.append(" AND e.job_id = :job");
            parameters.put("job", filter.jobId());
        }
        if (!filter.types().isEmpty()) {
            List<String> matches = new ArrayList<>();
            if (!filter.exactTypes().isEmpty()) {
                matches.add("e.type IN (:types)");
                parameters.put("types", filter.exactTypes());
            }
            List<String> prefixes = filter.typePrefixes();
            for (int i = 0; i < prefixes.size(); i++) {
                // starts_with, not LIKE: a prefix is taken literally, '%' and '_' included.
                matches.add("starts_with(e.type, :prefix" + i + ")");
                parameters.put("prefix" + i, prefixes.get(i));
            }
            sql.append(" AND (").append(String.join(" OR ", matches)).append(')');
        }
        if (filter.from() != null) {
            sql.append(" AND e.recorded_at >= :from");
            parameters.put("from", filter.from());
        }
        if (filter.to() != null) {
            sql.append(" AND e.recorded_at < :to");
            parameters.put("to", filter.to());
        }
        sql.append(" ORDER BY e.seq LIMIT :limit");
        var query = getEntityManager().createNativeQuery(sql.toString(), JobEventEntity.class);
        parameters.forEach(query::setParameter);
        @SuppressWarnings("unchecked")
        List<JobEventEntity> rows = query.getResultList();
        // Read-only snapshots: the coalesced workflowId must never be taken for the row's own.
        rows.forEach(getEntityManager()::detach);
        return rows;
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
