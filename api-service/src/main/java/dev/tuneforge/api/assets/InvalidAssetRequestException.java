package dev.tuneforge.api.assets;

import dev.tuneforge.common.jobs.Violation;
import java.util.List;

/** A registration request with a bad field (id, source, ...), before any file is looked at. */
public class InvalidAssetRequestException extends RuntimeException {
    private final transient List<Violation> violations;

    public InvalidAssetRequestException(List<Violation> violations) {
        super(violations.toString());
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
