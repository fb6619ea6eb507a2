package dev.tuneforge.api.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of the append-only audit log {@code job_events}, written by the scheduler; read-only here. A
 * workflow's own transitions name the workflow and may have no job.
 */
@Entity
@Immutable
@Table(name = "job_events")
public class JobEventEntity {
    @Id
    public Long seq;

    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "job_id")
    public UUID jobId;

    @Column(name = "workflow_id")
    public UUID workflowId;

    public String type;

    public Integer attempt;

    /** The event came from an attempt that was no longer current: audited, but it changed nothing. */
    public boolean stale;

    public String source;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    @Column(name = "recorded_at")
    public Instant recordedAt;

    public String cause;

    @JdbcTypeCode(SqlTypes.JSON)
    public String payload;
}
