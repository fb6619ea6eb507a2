package dev.tuneforge.api.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code schedules}: a cron expression that starts one workflow per tick. The API inserts,
 * reads and deletes it and switches {@code enabled} (through {@link ScheduleRepository}); the scheduler
 * reads it into Quartz triggers. {@code version} is left unmapped: bulk updates bump it.
 */
@Entity
@Table(name = "schedules")
public class ScheduleEntity {
    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(nullable = false, updatable = false)
    public String name;

    @Column(nullable = false, updatable = false)
    public String cron;

    @Column(name = "time_zone", nullable = false, updatable = false)
    public String timeZone;

    /** {@code FIRE_ONCE} or {@code SKIP}. */
    @Column(name = "misfire_policy", nullable = false, updatable = false)
    public String misfirePolicy;

    /** The request body of POST /api/v1/workflows that each tick submits. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    public String workflow;

    @Column(nullable = false, updatable = false)
    public boolean enabled;

    @Column(name = "created_by", nullable = false, updatable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false, updatable = false)
    public Instant updatedAt;
}
