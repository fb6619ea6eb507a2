package dev.tuneforge.worker.engine.training.data;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** A dataset that cannot be trained on, with every offending file listed: bad input, not worth a retry. */
public final class DatasetException extends IllegalArgumentException {

    private static final int LISTED = 20;

    private final transient List<DatasetIssue> issues;

    public DatasetException(Path dir, String summary, List<DatasetIssue> issues) {
        super("dataset " + dir + ": " + summary + (issues.isEmpty() ? "" : ": " + list(issues)));
        this.issues = List.copyOf(issues);
    }

    /** The offending files, each with its problem. */
    public List<DatasetIssue> issues() {
        return issues;
    }

    private static String list(List<DatasetIssue> issues) {
        String shown = issues.stream().limit(LISTED).map(DatasetIssue::toString).collect(Collectors.joining("; "));
        return issues.size() > LISTED ? shown + "; and " + (issues.size() - LISTED) + " more" : shown;
    }
}
