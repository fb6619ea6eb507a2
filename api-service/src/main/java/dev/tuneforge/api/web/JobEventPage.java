package dev.tuneforge.api.web;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A slice of a job's audit trail, in recording order. */
@Schema(name = "JobEventPage")
public record JobEventPage(
        List<JobEventView> items,
        @Schema(description = "Pass as ?after= for the next slice; null when the trail was read to its end")
        Long next) {
}
