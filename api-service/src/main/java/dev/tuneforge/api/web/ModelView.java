package dev.tuneforge.api.web;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A registered base model in diffusers layout. */
@Schema(name = "Model")
public record ModelView(
        @Schema(example = "sd15") String id,
        String name,
        long totalBytes,
        Instant createdAt,
        @Schema(description = "Where the model's files are", example = "s3://tuneforge/tenants/local/models/sd15/")
        String location,
        @Schema(description = "Paths inside the model folder", example = "[\"unet/config.json\"]") List<String> files) {
}
