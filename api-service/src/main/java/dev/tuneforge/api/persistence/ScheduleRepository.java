package dev.tuneforge.api.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The tenant's {@code schedules}, and the workflows each one started. */
@ApplicationScoped
public class ScheduleRepository implements PanacheRepositoryBase<ScheduleEntity, UUID> {

    public Optional<ScheduleEntity> findForTenant(String tenantId, UUID id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).firstResultOptional();
    }

    /** Newest first, keyset-paged after {@code after} like jobs. */
    public List<ScheduleEntity> page(String tenantId, JobPosition after, int limit) {
        StringBuilder query = new StringBuilder("tenantId = :tenant");
        Parameters params = Parameters.with("tenant", tenantId);
        if (after != null) {
            query.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            params.and("at", after.createdAt()).and("id", after.id());
        }
        return find(query.append(" order by createdAt desc, id desc").toString(), params).range(0, limit - 1).list();
    }

    /**
     * Switches a schedule on or off; bumps {@code version} and {@code updated_at}, which the scheduler's sync
     * reads. False when the tenant has no such schedule.
     */
    public boolean setEnabled(String tenantId, UUID id, boolean enabled) {
        return getEntityManager().createNativeQuery("UPDATE schedules SET enabled = :enabled, updated_at = now(),"
                        + " version = version + 1 WHERE id = :id AND tenant_id = :tenant")
                .setParameter("enabled", enabled).setParameter("id", id).setParameter("tenant", tenantId)
                .executeUpdate() == 1;
    }

    /** Deletes the tenant's schedule; the workflows it started keep their rows (the foreign key sets NULL). */
    public boolean deleteForTenant(String tenantId, UUID id) {
        return delete("id = ?1 and tenantId = ?2", id, tenantId) == 1;
    }

    /** Ids of the latest {@code limit} workflows the schedule started, latest tick first. */
    public List<UUID> recentWorkflows(UUID scheduleId, int limit) {
        @SuppressWarnings("unchecked")
        List<UUID> ids = getEntityManager().createNativeQuery("SELECT id FROM workflows WHERE schedule_id = :schedule"
                        + " ORDER BY scheduled_for DESC, id DESC LIMIT :limit", UUID.class)
                .setParameter("schedule", scheduleId).setParameter("limit", limit).getResultList();
        return ids;
    }
}
