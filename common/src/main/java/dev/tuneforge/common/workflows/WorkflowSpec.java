package dev.tuneforge.common.workflows;

import java.util.List;
import java.util.Optional;

/**
 * A validated workflow in its general form: the steps (a DAG) and the selection policy. A template
 * request is stored expanded, with {@code template} naming where it came from (null for the general
 * form), so whoever drives it never needs to know the templates.
 */
public record WorkflowSpec(String template, List<StepSpec> steps, SelectionPolicy policy) {
    public WorkflowSpec {
        steps = steps == null ? List.of() : List.copyOf(steps);
        policy = policy == null ? SelectionPolicy.defaults() : policy;
    }

    public Optional<StepSpec> step(String id) {
        return steps.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** Steps with no dependencies: what runs as soon as the workflow is accepted. */
    public List<StepSpec> roots() {
        return steps.stream().filter(s -> s.dependsOn().isEmpty()).toList();
    }
}
