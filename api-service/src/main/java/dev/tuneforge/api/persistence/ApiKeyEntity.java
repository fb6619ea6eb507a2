package dev.tuneforge.api.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code api_keys}: only the SHA-256 of the secret is stored. */
@Entity
@Table(name = "api_keys")
public class ApiKeyEntity {
    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    /** Recorded as {@code submitted_by} on every job submitted with this key. */
    @Column(nullable = false, updatable = false)
    public String name;

    @Column(name = "key_hash", nullable = false, updatable = false)
    public String keyHash;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;
}
