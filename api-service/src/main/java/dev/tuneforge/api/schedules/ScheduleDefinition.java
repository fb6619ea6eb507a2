package dev.tuneforge.api.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.common.workflows.WorkflowSpec;

/**
 * A checked schedule request: {@code workflow} is the body as sent (what each tick submits), {@code spec} what
 * WorkflowSpecs made of it.
 */
record ScheduleDefinition(String name, CronSchedule cron, MisfirePolicy misfirePolicy, boolean enabled,
        JsonNode workflow, WorkflowSpec spec) {
}
