package dev.tuneforge.api.web;

import dev.tuneforge.api.workflows.WorkflowSummary;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of workflows, newest first. */
@Schema(name = "WorkflowPage")
public record WorkflowPage(
        List<WorkflowSummary> items,
        @Schema(description = "Pass as ?cursor= for the next page; null on the last page") String next) {
}
