package dev.tuneforge.api.workflows;

/** No workflow with this id for the caller's tenant (another tenant's workflow is reported the same way). */
public class WorkflowNotFoundException extends RuntimeException {
    public WorkflowNotFoundException(String id) {
        super("no workflow with id '" + id + "'");
    }
}
