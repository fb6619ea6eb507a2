package dev.tuneforge.api.persistence;

import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.common.jobs.JobStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code jobs}. The API inserts it and reads it; state changes made after submission
 * (relay ack, cancel) are conditional bulk updates in {@link JobRepository}, because the scheduler
 * writes the same rows concurrently. Columns only the scheduler uses (heartbeat, retry time,
 * version) are left unmapped and keep their database defaults.
 */
@Entity
@Table(name = "jobs")
public class JobEntity {
    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    /** Stored as the wire name ({@code train}), like the {@code kind} of the spec JSON. */
    @Convert(converter = JobKindConverter.class)
    @Column(nullable = false, updatable = false)
    public JobKind kind;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public JobStatus status;

    @Column(nullable = false)
    public int attempt;

    /** The validated spec with every default filled in, as {@code common}'s mapper writes a {@code JobSpec}. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    public String spec;

    @Column(name = "submitted_by", nullable = false, updatable = false)
    public String submittedBy;

    @Column(name = "idempotency_key", updatable = false)
    public String idempotencyKey;

    /** SHA-256 of the canonical request, to tell a replay from a different request under the same key. */
    @Column(name = "request_hash", updatable = false)
    public String requestHash;

    @Column(name = "failure_reason")
    public String failureReason;

    @Column(name = "worker_id")
    public String workerId;

    @JdbcTypeCode(SqlTypes.JSON)
    public String progress;

    @JdbcTypeCode(SqlTypes.JSON)
    public String artifacts;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The workflow this job is a step of (null for a job submitted on its own). */
    @Column(name = "workflow_id", updatable = false)
    public UUID workflowId;

    @Column(name = "workflow_step", updatable = false)
    public String workflowStep;
}
