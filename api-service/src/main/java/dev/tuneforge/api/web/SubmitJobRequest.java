package dev.tuneforge.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /api/v1/jobs}; the spec is validated by {@code common}'s JobSpecs for its kind. */
@Schema(name = "SubmitJobRequest", description = "A job to run")
public record SubmitJobRequest(
        @Schema(description = "train, generate or evaluate", required = true, example = "train")
        String kind,
        @Schema(description = "The job's settings; omitted fields take the documented defaults",
                required = true, example = "{\"method\":\"lora\",\"modelId\":\"sd15\",\"datasetId\":\"alice\"}")
        JsonNode spec) {
}
