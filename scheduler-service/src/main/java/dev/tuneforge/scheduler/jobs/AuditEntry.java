package dev.tuneforge.scheduler.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of the append-only {@code job_events} audit log.
 *
 * @param stale true when the event came from an attempt that is no longer the job's current one
 * @param source who produced it: the CloudEvents source of a consumed event, or the scheduler itself
 * @param cause why the scheduler wrote an entry of its own ({@code timer:…}, {@code event:<id>}); null for consumed events
 * @param payload the event's data
 */
public record AuditEntry(UUID eventId, UUID jobId, String type, int attempt, boolean stale, String source,
        Instant occurredAt, String cause, JsonNode payload) {

    /** An entry the scheduler writes about its own decision on {@code job}'s current attempt. */
    public static AuditEntry bySchedulerOf(Job job, String type, String source, String cause, Instant now,
            JsonNode payload) {
        return new AuditEntry(UUID.randomUUID(), job.id(), type, job.attempt(), false, source, now, cause, payload);
    }
}
