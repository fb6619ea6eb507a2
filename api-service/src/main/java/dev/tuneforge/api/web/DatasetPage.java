package dev.tuneforge.api.web;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of datasets, newest first. */
@Schema(name = "DatasetPage")
public record DatasetPage(
        List<DatasetView> items,
        @Schema(description = "Pass as ?cursor= for the next page; null on the last page") String next) {
}
