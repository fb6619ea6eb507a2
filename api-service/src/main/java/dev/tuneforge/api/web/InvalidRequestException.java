package dev.tuneforge.api.web;

import dev.tuneforge.common.jobs.Violation;
import java.util.List;
import java.util.stream.Collectors;

/** A query parameter, header or body that cannot be accepted; names each offending field. */
public class InvalidRequestException extends RuntimeException {
    private final transient List<Violation> violations;

    public InvalidRequestException(Violation violation) {
        this(List.of(violation));
    }

    public InvalidRequestException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
