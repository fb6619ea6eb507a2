package dev.tuneforge.api.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The outbox table: inserts from the API, locking reads and acknowledgements from the relay. */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEntity, Long> {

    /**
     * The oldest unsent rows, locked for this transaction. SKIP LOCKED lets several relays run side
     * by side without waiting on each other's rows.
     */
    @SuppressWarnings("unchecked")
    public List<OutboxEntity> lockPending(int limit) {
        return getEntityManager().createNativeQuery("""
                SELECT * FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT :limit FOR UPDATE SKIP LOCKED
                """, OutboxEntity.class)
                .setParameter("limit", limit)
                .getResultList();
    }

    /** Per job, the seq of its oldest unsent row, whoever holds the lock on it. */
    public Map<UUID, Long> oldestPendingSeq(Collection<UUID> jobIds) {
        Map<UUID, Long> oldest = new HashMap<>();
        if (jobIds.isEmpty()) {
            return oldest;
        }
        List<Object[]> rows = getEntityManager().createQuery(
                "select o.jobId, min(o.seq) from OutboxEntity o where o.sentAt is null and o.jobId in :jobs"
                        + " group by o.jobId", Object[].class)
                .setParameter("jobs", jobIds)
                .getResultList();
        for (Object[] row : rows) {
            oldest.put((UUID) row[0], (Long) row[1]);
        }
        return oldest;
    }

    /** {@code attempts} counts every try, the successful one included; {@code last_error} keeps the last failure. */
    public void markSent(OutboxEntity row, Instant sentAt) {
        row.sentAt = sentAt;
        row.attempts++;
    }

    public void recordFailure(OutboxEntity row, String error) {
        row.attempts++;
        row.lastError = error;
    }
}
