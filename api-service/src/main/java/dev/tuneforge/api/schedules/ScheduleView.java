package dev.tuneforge.api.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A schedule as the API shows it: its definition, when it fires next, and what it started. */
@Schema(name = "Schedule")
public record ScheduleView(
        UUID id,
        String name,
        @Schema(description = "Quartz cron expression", example = "0 0 3 * * ?") String cron,
        @Schema(description = "IANA time zone the cron is read in", example = "Europe/Berlin") String timeZone,
        @Schema(enumeration = {"fire_once", "skip"}) String misfirePolicy,
        boolean enabled,
        @Schema(description = "The body of POST /api/v1/workflows each tick submits") JsonNode workflow,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "The next 3 ticks; empty when disabled or the cron ends") List<Instant> nextFireTimes,
        @Schema(description = "The latest 10 workflows it started, latest tick first") List<UUID> recentWorkflows) {
}
