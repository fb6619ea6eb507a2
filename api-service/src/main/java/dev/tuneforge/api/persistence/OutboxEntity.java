package dev.tuneforge.api.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code outbox}: one Kafka record to publish, written in the same transaction as the
 * state change it announces. {@code seq} gives the publication order.
 */
@Entity
@Table(name = "outbox")
public class OutboxEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(name = "event_id", nullable = false, updatable = false)
    public UUID eventId;

    @Column(name = "job_id", nullable = false, updatable = false)
    public UUID jobId;

    @Column(nullable = false, updatable = false)
    public String topic;

    /** The Kafka record key: the job id, so a job's records share a partition and keep their order. */
    @Column(name = "record_key", nullable = false, updatable = false)
    public String recordKey;

    /** The CloudEvents JSON bytes, exactly as they go on the wire. */
    @Column(nullable = false, updatable = false)
    public byte[] payload;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "last_error")
    public String lastError;
}
