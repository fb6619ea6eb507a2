package dev.tuneforge.api.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKeyEntity, UUID> {

    public Optional<ApiKeyEntity> findActiveByHash(String keyHash) {
        return find("keyHash = ?1 and revokedAt is null", keyHash).firstResultOptional();
    }

    /** Registers a key unless its hash is known (revoked or not); safe when two instances start at once. */
    public boolean insertIfAbsent(String tenantId, String name, String keyHash) {
        return getEntityManager().createNativeQuery("""
                INSERT INTO api_keys (id, tenant_id, name, key_hash) VALUES (:id, :tenant, :name, :hash)
                ON CONFLICT (key_hash) DO NOTHING
                """)
                .setParameter("id", UUID.randomUUID())
                .setParameter("tenant", tenantId)
                .setParameter("name", name)
                .setParameter("hash", keyHash)
                .executeUpdate() == 1;
    }
}
