package dev.tuneforge.api.web;

import dev.tuneforge.api.schedules.ScheduleView;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of schedules, newest first. */
@Schema(name = "SchedulePage")
public record SchedulePage(
        List<ScheduleView> items,
        @Schema(description = "Pass as ?cursor= for the next page; null on the last page") String next) {
}
