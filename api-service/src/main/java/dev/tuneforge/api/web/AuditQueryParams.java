package dev.tuneforge.api.web;

import dev.tuneforge.api.persistence.AuditFilter;
import dev.tuneforge.common.jobs.Violation;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The filters of {@code GET /api/v1/audit}, parsed all at once so one answer names every bad parameter. */
final class AuditQueryParams {
    private final List<Violation> violations = new ArrayList<>();

    private AuditQueryParams() {
    }

    static AuditFilter filter(String workflowId, String jobId, List<String> types, String from, String to) {
        AuditQueryParams params = new AuditQueryParams();
        AuditFilter filter = new AuditFilter(params.uuid("workflowId", workflowId), params.uuid("jobId", jobId),
                params.types(types), params.instant("from", from), params.instant("to", to));
        if (filter.from() != null && filter.to() != null && !filter.from().isBefore(filter.to())) {
            params.violations.add(new Violation("from", "must be before 'to' (" + filter.to() + "), was "
                    + filter.from()));
        }
        if (!params.violations.isEmpty()) {
            throw new InvalidRequestException(params.violations);
        }
        return filter;
    }

    private UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            UUID parsed = UUID.fromString(value.trim());
            // fromString also takes short groups ('1-2-3-4-5'); only the canonical form names a row.
            if (parsed.toString().equalsIgnoreCase(value.trim())) {
                return parsed;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        violations.add(new Violation(name, "not a UUID: '" + value + "'"));
        return null;
    }

    private Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeException e) {
            violations.add(new Violation(name, "not an ISO-8601 instant such as 2026-05-01T10:00:00Z: '" + value + "'"));
            return null;
        }
    }

    private List<String> types(List<String> values) {
        List<String> types = new ArrayList<>();
        for (String value : values == null ? List.<String>of() : values) {
            String type = value.trim();
            int wildcard = type.indexOf(AuditFilter.WILDCARD);
            if (type.isEmpty() || (wildcard >= 0 && wildcard != type.length() - 1)) {
                violations.add(new Violation("type", "an event type such as dev.tuneforge.job.succeeded, or a prefix"
                        + " ending in '*' such as dev.tuneforge.workflow.*; was '" + value + "'"));
            } else {
                types.add(type);
            }
        }
        return types;
    }
}
