package dev.tuneforge.api.web;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of the audit log, in log order. */
@Schema(name = "AuditPage")
public record AuditPage(
        List<AuditEntryView> items,
        @Schema(description = "Pass as ?cursor= (with the same filters) for the next page; null on the last page")
        String next) {
}
