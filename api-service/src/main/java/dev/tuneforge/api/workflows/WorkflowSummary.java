package dev.tuneforge.api.workflows;

import java.time.Instant;
import java.util.UUID;

/** A workflow in a list: its state and, once selected, its best checkpoint; GET by id for the rest. */
public record WorkflowSummary(UUID id, String template, String status, String failureReason, Integer bestStep,
        String bestLocation, Instant createdAt, Instant updatedAt) {
}
