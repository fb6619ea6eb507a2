package dev.tuneforge.api.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import java.util.List;
import java.util.Optional;

/** Reads and writes of one asset table ({@code datasets} or {@code models}), always within a tenant. */
public abstract class AssetRepository<T extends AssetEntity> {
    private final EntityManager em;
    private final Class<T> type;

    protected AssetRepository(EntityManager em, Class<T> type) {
        this.em = em;
        this.type = type;
    }

    public Optional<T> find(String tenantId, String id) {
        return Optional.ofNullable(em.find(type, new AssetKey(tenantId, id)));
    }

    /**
     * As {@link #find}, holding a lock until the transaction ends: {@code exclusive} for a delete,
     * shared for a job submission that names the asset, so neither sees the other half-done.
     */
    public Optional<T> lock(String tenantId, String id, boolean exclusive) {
        return Optional.ofNullable(em.find(type, new AssetKey(tenantId, id),
                exclusive ? LockModeType.PESSIMISTIC_WRITE : LockModeType.PESSIMISTIC_READ));
    }

    public void insert(T asset) {
        em.persist(asset);
        em.flush();
    }

    public void delete(T asset) {
        em.remove(asset);
        em.flush();
    }

    /** Newest first, ties broken by id; {@code after} is the last row of the previous page. */
    public List<T> page(String tenantId, AssetPosition after, int limit) {
        String where = after == null ? "" : " and (a.createdAt < :at or (a.createdAt = :at and a.id < :id))";
        TypedQuery<T> query = em.createQuery("select a from " + type.getSimpleName() + " a where a.tenantId = :tenant"
                + where + " order by a.createdAt desc, a.id desc", type)
                .setParameter("tenant", tenantId)
                .setMaxResults(limit);
        if (after != null) {
            query.setParameter("at", after.createdAt()).setParameter("id", after.id());
        }
        return query.getResultList();
    }
}
