package dev.tuneforge.api.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * What datasets and models share: a client-chosen id unique within the tenant, a name, the size and
 * the list of stored files (JSON) so that a delete or a worker knows every object without listing.
 */
@MappedSuperclass
public abstract class AssetEntity {
    @Id
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    @Column(nullable = false, updatable = false)
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(name = "total_bytes", nullable = false)
    public long totalBytes;

    /** JSON array of the stored files, each {@code {"path", "key", "bytes"}} (datasets: per image/caption pair). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String files;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;
}
