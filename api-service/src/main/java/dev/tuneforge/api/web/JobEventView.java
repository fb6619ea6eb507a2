package dev.tuneforge.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One entry of a job's audit trail. */
@Schema(name = "JobEvent")
public record JobEventView(
        @Schema(description = "Position in the audit log; increases in recording order") long seq,
        @Schema(description = "The CloudEvents id") UUID eventId,
        @Schema(example = "dev.tuneforge.job.started") String type,
        Integer attempt,
        @Schema(description = "From an attempt that was no longer current: recorded, changed nothing") boolean stale,
        @Schema(description = "The CloudEvents source") String source,
        @Schema(description = "When the event happened (CloudEvents time)") Instant time,
        @Schema(description = "When the scheduler recorded it") Instant recordedAt,
        String cause,
        @Schema(description = "The event's data") JsonNode payload) {
}
