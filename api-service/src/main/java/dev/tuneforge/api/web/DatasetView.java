package dev.tuneforge.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tuneforge.api.assets.RejectedFile;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A dataset as the API shows it; an upload's answer also lists the files it skipped. */
@Schema(name = "Dataset")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetView(
        @Schema(example = "alice") String id,
        String name,
        @Schema(description = "Images stored, each with its caption") int imageCount,
        long totalBytes,
        Instant createdAt,
        @Schema(description = "The stored files as uploaded (zip entry paths for a zip)") List<String> accepted,
        @Schema(description = "Only in an upload's answer with skipInvalid=true: each skipped file and why")
        List<RejectedFile> rejected) {
}
