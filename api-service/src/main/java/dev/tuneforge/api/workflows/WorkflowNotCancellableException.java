package dev.tuneforge.api.workflows;

import java.util.UUID;

/** Cancel of a workflow that already ended. */
public class WorkflowNotCancellableException extends RuntimeException {
    private final String status;

    public WorkflowNotCancellableException(UUID id, String status) {
        super("workflow " + id + " is already " + status + " and cannot be cancelled");
        this.status = status;
    }

    public String status() {
        return status;
    }
}
