package dev.tuneforge.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One row of the audit log: a job's event or decision, or a workflow's own transition. */
@Schema(name = "AuditEntry")
public record AuditEntryView(
        @Schema(description = "Position in the audit log; increases in recording order") long seq,
        @Schema(description = "The CloudEvents id") UUID eventId,
        @Schema(description = "The job; null for a workflow's own transition that no job caused") UUID jobId,
        @Schema(description = "The row's workflow, or its job's; null for a job outside any workflow") UUID workflowId,
        @Schema(example = "dev.tuneforge.job.succeeded") String type,
        Integer attempt,
        @Schema(description = "From an attempt that was no longer current: recorded, changed nothing") boolean stale,
        @Schema(description = "The CloudEvents source") String source,
        @Schema(description = "When it happened (CloudEvents time)") Instant occurredAt,
        @Schema(description = "When it was recorded") Instant recordedAt,
        @Schema(description = "Why: event:<id>, user:<key name>, timer:<name>, api:submit, ...") String cause,
        @Schema(description = "The event's data") JsonNode payload) {
}
