package dev.tuneforge.api.jobs;

import dev.tuneforge.common.jobs.Violation;
import java.util.List;
import java.util.stream.Collectors;

/** A well-formed spec that names a model, dataset or training job the tenant does not have. */
public class UnknownReferenceException extends RuntimeException {
    private final transient List<Violation> violations;

    public UnknownReferenceException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
