package dev.tuneforge.api.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.common.jobs.InvalidSpecException;
import dev.tuneforge.common.jobs.Violation;
import dev.tuneforge.common.workflows.WorkflowSpec;
import dev.tuneforge.common.workflows.WorkflowSpecs;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads a schedule request body, naming every bad field in one answer. Its {@code workflow} goes through
 * the workflow API's own parser (WorkflowSpecs), so a tick never starts a workflow the API would refuse.
 */
@ApplicationScoped
class ScheduleRequests {
    static final int MAX_NAME_LENGTH = 200;
    private static final String WORKFLOW = "workflow";
    private static final Set<String> FIELDS = Set.of("name", "cron", "timeZone", "misfirePolicy", "enabled", WORKFLOW);

    private final WorkflowSpecs workflows;

    ScheduleRequests(WorkflowSpecs workflows) {
        this.workflows = workflows;
    }

    /** @throws InvalidSpecException naming each bad field ({@code cron}, {@code timeZone}, {@code workflow.train.steps}) */
    ScheduleDefinition parse(JsonNode body) {
        List<Violation> violations = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new InvalidSpecException(new Violation("body", "required: a schedule object with name, cron and "
                    + "workflow"));
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                violations.add(new Violation(field, "unknown field; a schedule has " + FIELDS.stream().sorted().toList()));
            }
        }
        String name = text(body, "name", violations);
        if (name == null) {
            // Absent is "required"; there but not a string was named by text().
            if (!body.hasNonNull("name")) {
                violations.add(new Violation("name", "required: a non-blank name"));
            }
        } else if (name.isBlank()) {
            violations.add(new Violation("name", "required: a non-blank name"));
        } else if (name.length() > MAX_NAME_LENGTH) {
            violations.add(new Violation("name", "at most " + MAX_NAME_LENGTH + " characters"));
        }
        CronSchedule cron = CronSchedule.parse(text(body, "cron", violations), text(body, "timeZone", violations),
                violations);
        MisfirePolicy misfire = misfirePolicy(text(body, "misfirePolicy", violations), violations);
        boolean enabled = enabled(body, violations);
        WorkflowSpec spec = workflow(body.get(WORKFLOW), violations);
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(violations);
        }
        return new ScheduleDefinition(name, cron, misfire, enabled, body.get(WORKFLOW), spec);
    }

    /** The body of PATCH: {@code enabled} and nothing else. */
    boolean enabledChange(JsonNode body) {
        if (body == null || !body.isObject() || body.size() != 1 || !body.has("enabled")) {
            throw new InvalidSpecException(new Violation("body", "only 'enabled' can be changed: send"
                    + " {\"enabled\": true|false}; delete and re-create a schedule to change anything else"));
        }
        List<Violation> violations = new ArrayList<>();
        boolean enabled = enabled(body, violations);
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(violations);
        }
        return enabled;
    }

    private WorkflowSpec workflow(JsonNode workflow, List<Violation> violations) {
        if (workflow == null || !workflow.isObject()) {
            violations.add(new Violation(WORKFLOW, "required: the body of POST /api/v1/workflows"));
            return null;
        }
        try {
            return workflows.parse(workflow);
        } catch (InvalidSpecException e) {
            e.violations().forEach(v -> violations.add(new Violation(underWorkflow(v.field()), v.message())));
            return null;
        }
    }

    /** A workflow request's field, named where the schedule request has it. */
    static String underWorkflow(String field) {
        return "body".equals(field) ? WORKFLOW : WORKFLOW + "." + field;
    }

    private static MisfirePolicy misfirePolicy(String value, List<Violation> violations) {
        if (value == null) {
            return MisfirePolicy.FIRE_ONCE;
        }
        return MisfirePolicy.fromWireName(value).orElseGet(() -> {
            violations.add(new Violation("misfirePolicy", "unknown misfire policy '" + value + "'; one of "
                    + Arrays.stream(MisfirePolicy.values()).map(MisfirePolicy::wireName).toList()));
            return null;
        });
    }

    private static boolean enabled(JsonNode body, List<Violation> violations) {
        JsonNode enabled = body.get("enabled");
        if (enabled == null || enabled.isNull()) {
            return true;
        }
        if (!enabled.isBoolean()) {
            violations.add(new Violation("enabled", "must be true or false, was " + enabled));
        }
        return enabled.asBoolean();
    }

    /** A string field, null when absent; a violation when it is there but not a string. */
    private static String text(JsonNode body, String field, List<Violation> violations) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            violations.add(new Violation(field, "must be a string, was " + value));
            return null;
        }
        return value.asText();
    }
}
