package dev.tuneforge.api.workflows;

import dev.tuneforge.api.auth.Caller;
import dev.tuneforge.api.jobs.SpecReferences;
import dev.tuneforge.api.jobs.UnknownReferenceException;
import dev.tuneforge.common.jobs.Violation;
import dev.tuneforge.common.workflows.WorkflowSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that every model and dataset a workflow's steps name exists for the caller's tenant, naming
 * each by where the request wrote it. Run inside the transaction that stores what depends on it (a
 * workflow, a schedule), so SpecReferences' share locks hold until that commits.
 */
@ApplicationScoped
public class WorkflowReferences {
    private final SpecReferences references;

    WorkflowReferences(SpecReferences references) {
        this.references = references;
    }

    /** @throws UnknownReferenceException naming every unknown reference, e.g. {@code train.modelId} */
    public void requireKnown(Caller caller, WorkflowSpec spec) {
        List<Violation> unknown = new ArrayList<>();
        for (int i = 0; i < spec.steps().size(); i++) {
            // A template's later steps take the train step's model and dataset: report those once, under train.
            if (spec.template() != null && i > 0) {
                break;
            }
            String path = spec.template() != null ? spec.steps().get(i).id() : "steps[" + i + "].spec";
            try {
                references.requireKnown(caller.tenantId(), spec.steps().get(i).spec());
            } catch (UnknownReferenceException e) {
                e.violations().forEach(v -> unknown.add(new Violation(path + v.field().substring("spec".length()),
                        v.message())));
            }
        }
        if (!unknown.isEmpty()) {
            throw new UnknownReferenceException(unknown);
        }
    }
}
