package dev.tuneforge.api.web;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of jobs, newest first. */
@Schema(name = "JobPage")
public record JobPage(
        List<JobView> items,
        @Schema(description = "Pass as ?cursor= for the next page; null on the last page") String next) {
}
