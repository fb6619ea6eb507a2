package dev.tuneforge.api.web;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Registers a model already in S3: its folder is copied under the tenant's models. */
@Schema(name = "RegisterModelRequest")
public record RegisterModelRequest(
        @Schema(description = "Slug; generated when absent", example = "sd15") String id,
        @Schema(example = "Stable Diffusion 1.5") String name,
        @Schema(description = "A folder in diffusers layout", example = "s3://imports/sd15/") String source) {
}
