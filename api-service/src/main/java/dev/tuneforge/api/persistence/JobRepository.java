package dev.tuneforge.api.persistence;

import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.common.jobs.JobStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads and conditional writes of {@code jobs}. Every status change here is a single UPDATE guarded
 * by the status it expects, so it can never overwrite a move the scheduler made in the meantime;
 * each bumps {@code version}, which the scheduler's optimistic writes check.
 */
@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<JobEntity, UUID> {

    public Optional<JobEntity> findForTenant(String tenantId, UUID id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).firstResultOptional();
    }

    /** As {@link #findForTenant}, holding the row lock until the transaction ends. */
    public Optional<JobEntity> findForTenantLocked(String tenantId, UUID id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    public Optional<JobEntity> findByIdempotencyKey(String tenantId, String idempotencyKey) {
        return find("tenantId = ?1 and idempotencyKey = ?2", tenantId, idempotencyKey).firstResultOptional();
    }

    /**
     * Newest first, ties on {@code created_at} broken by id; {@code after} is the last row of the
     * previous page (keyset pagination: stable while new jobs arrive).
     */
    public List<JobEntity> page(String tenantId, JobStatus status, JobKind kind, JobPosition after, int limit) {
        StringBuilder query = new StringBuilder("tenantId = :tenant");
        Parameters params = Parameters.with("tenant", tenantId);
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", status);
        }
        if (kind != null) {
            query.append(" and kind = :kind");
            params.and("kind", kind);
        }
        if (after != null) {
            query.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            params.and("at", after.createdAt()).and("id", after.id());
        }
        query.append(" order by createdAt desc, id desc");
        return find(query.toString(), params).range(0, limit - 1).list();
    }

    /**
     * Ids of the tenant's jobs that have not ended (SUBMITTED, QUEUED, RUNNING, RETRYING) whose spec
     * names {@code id} in its top-level field {@code specField} ({@code modelId}, {@code datasetId}).
     */
    public List<UUID> activeJobsNaming(String tenantId, String specField, String id) {
        @SuppressWarnings("unchecked")
        List<UUID> ids = getEntityManager().createNativeQuery("""
                SELECT id FROM jobs
                WHERE tenant_id = :tenant AND status IN ('SUBMITTED', 'QUEUED', 'RUNNING', 'RETRYING')
                  AND spec ->> :field = :id
                ORDER BY created_at
                """, UUID.class)
                .setParameter("tenant", tenantId)
                .setParameter("field", specField)
                .setParameter("id", id)
                .getResultList();
        return ids;
    }

    /** The relay's move after the broker acked a job's command: only from SUBMITTED, only for that attempt. */
    public boolean markQueued(UUID id, int attempt) {
        return getEntityManager().createNativeQuery("""
                UPDATE jobs SET status = 'QUEUED', updated_at = now(), version = version + 1
                WHERE id = :id AND attempt = :attempt AND status = 'SUBMITTED'
                """)
                .setParameter("id", id)
                .setParameter("attempt", attempt)
                .executeUpdate() == 1;
    }

    /**
     * Cancels a job no worker has claimed yet (SUBMITTED or QUEUED, no {@code worker_id}), with
     * {@code reason} as its failure reason like a cancel a worker confirmed; false when the job is
     * past that point.
     */
    public boolean cancelUnclaimed(UUID id, Instant now, String reason) {
        return getEntityManager().createNativeQuery("""
                UPDATE jobs SET status = 'CANCELLED', failure_reason = :reason, finished_at = :now, updated_at = :now,
                       version = version + 1
                WHERE id = :id AND status IN ('SUBMITTED', 'QUEUED') AND worker_id IS NULL
                """)
                .setParameter("id", id)
                .setParameter("now", now)
                .setParameter("reason", reason)
                .executeUpdate() == 1;
    }
}
