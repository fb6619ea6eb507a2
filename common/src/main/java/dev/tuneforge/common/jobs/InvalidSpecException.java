package dev.tuneforge.common.jobs;

import java.util.List;
import java.util.stream.Collectors;

/** A job spec that cannot be accepted; carries every violation so the API can name each field. */
public class InvalidSpecException extends RuntimeException {
    private final transient List<Violation> violations;

    public InvalidSpecException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public InvalidSpecException(Violation violation) {
        this(List.of(violation));
    }

    public List<Violation> violations() {
        return violations;
    }
}
