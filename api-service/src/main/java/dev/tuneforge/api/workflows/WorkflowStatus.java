package dev.tuneforge.api.workflows;

/** The {@code workflows.status} values. */
public enum WorkflowStatus {
    RUNNING, SUCCEEDED, FAILED, CANCELLED
}
