package dev.tuneforge.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A job as the API shows it. */
@Schema(name = "Job")
public record JobView(
        UUID id,
        @Schema(example = "train") String kind,
        @Schema(example = "QUEUED") String status,
        @Schema(description = "1 for the first run; grows with each retry") int attempt,
        @Schema(description = "The validated spec with every default filled in") JsonNode spec,
        @Schema(description = "Name of the API key that submitted the job") String submittedBy,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        String failureReason,
        @Schema(description = "Latest progress the worker reported") JsonNode progress,
        @Schema(description = "Where the job's outputs are: checkpoints, samples, evaluations, final weights")
        JsonNode artifacts,
        @Schema(description = "Only on GET /api/v1/jobs/{id}: every complete checkpoint of a training job, by step")
        @JsonInclude(JsonInclude.Include.NON_NULL) List<CheckpointView> checkpoints) {

    /** A complete checkpoint with the samples rendered and the scores computed at its step (null until reported). */
    @Schema(name = "Checkpoint")
    public record CheckpointView(
            int step,
            @Schema(example = "s3://tuneforge/tenants/local/jobs/<id>/checkpoints/step-100/") String location,
            JsonNode metrics,
            String reportLocation,
            JsonNode samples) {
    }
}
