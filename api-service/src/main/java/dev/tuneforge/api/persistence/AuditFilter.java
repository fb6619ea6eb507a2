package dev.tuneforge.api.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What an audit query keeps; every part is optional (null or empty: no restriction).
 *
 * @param workflowId rows of the workflow itself or of any of its jobs
 * @param types exact event types, or prefixes ending in {@code *} ({@code dev.tuneforge.workflow.*}); a row matches any
 * @param from first {@code recorded_at} kept (inclusive)
 * @param to first {@code recorded_at} no longer kept (exclusive)
 */
public record AuditFilter(UUID workflowId, UUID jobId, List<String> types, Instant from, Instant to) {
    public static final String WILDCARD = "*";

    public AuditFilter {
        types = types == null ? List.of() : List.copyOf(types);
    }

    List<String> exactTypes() {
        return types.stream().filter(t -> !t.endsWith(WILDCARD)).toList();
    }

    List<String> typePrefixes() {
        return types.stream().filter(t -> t.endsWith(WILDCARD)).map(t -> t.substring(0, t.length() - 1)).toList();
    }
}
