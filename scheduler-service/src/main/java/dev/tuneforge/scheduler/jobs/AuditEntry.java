package dev.tuneforge.scheduler.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of the append-only {@code job_events} audit log.
 *
 * @param jobId the job it is about; null for a workflow transition no job caused (a schedule's tick, a workflow timeout)
 * @param workflowId the workflow the job belongs to or the transition is of; null for a job submitted on its own
 * @param attempt the job's attempt; null when there is no job
 * @param stale true when the event came from an attempt that is no longer the job's current one
 * @param source who produced it: the CloudEvents source of a consumed event, or the scheduler itself
 * @param cause why the scheduler wrote an entry of its own ({@code timer:…}, {@code event:<id>}); null for consumed events
 * @param payload the event's data
 */
public record AuditEntry(UUID eventId, UUID jobId, UUID workflowId, String type, Integer attempt, boolean stale,
        String source, Instant occurredAt, String cause, JsonNode payload) {

    /** An entry the scheduler writes about its own decision on {@code job}'s current attempt. */
    public static AuditEntry bySchedulerOf(Job job, String type, String source, String cause, Instant now,
            JsonNode payload) {
        return new AuditEntry(UUID.randomUUID(), job.id(), job.workflowId(), type, job.attempt(), false, source, now,
                cause, payload);
    }

    /** An entry the scheduler writes about a workflow's transition that no job caused. */
    public static AuditEntry bySchedulerOfWorkflow(UUID workflowId, String type, String source, String cause, Instant now,
            JsonNode payload) {
        return new AuditEntry(UUID.randomUUID(), null, workflowId, type, null, false, source, now, cause, payload);
    }
}
