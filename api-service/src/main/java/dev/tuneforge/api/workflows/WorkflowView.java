package dev.tuneforge.api.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A workflow as the API shows it: its steps with their states and jobs, the train step's
 * checkpoints with the metrics their evaluations reported, and, once selected, the ranking and best.
 */
public record WorkflowView(UUID id, String template, String status, String failureReason, JsonNode policy,
        List<Step> steps, List<Checkpoint> checkpoints, JsonNode ranking, Best best, String createdBy,
        Instant createdAt, Instant updatedAt,
        @Schema(description = "The schedule that started it; null when submitted, or once the schedule is deleted")
        UUID scheduleId,
        @Schema(description = "The schedule's tick it was started for; null when submitted") Instant scheduledFor) {

    public record Step(String id, String kind, String status, List<String> dependsOn, String forEach,
            List<StepJob> jobs) {
    }

    /** One job of a step; {@code checkpoint} is the LoRA step an evaluate or generate job uses. */
    public record StepJob(UUID id, String status, Integer checkpoint) {
    }

    /** One row of the metrics table: a checkpoint of the train step and its scores (null until evaluated). */
    public record Checkpoint(int step, String location, JsonNode metrics, String reportLocation) {
    }

    public record Best(int step, String location) {
    }
}
