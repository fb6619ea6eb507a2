package dev.tuneforge.common.workflows;

/** The {@code workflows.status} values, written by the API (start, cancel) and the scheduler (end, timeout). */
public enum WorkflowStatus {
    RUNNING, SUCCEEDED, FAILED, CANCELLED
}
