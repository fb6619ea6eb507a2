package dev.tuneforge.scheduler.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/**
 * A row of {@code schedules} (V5), written by the API: start {@code workflow} (a POST /api/v1/workflows body) at
 * every tick of {@code cron} (Quartz syntax) in {@code timeZone}. {@code version} grows with every edit, so the
 * sync sees which triggers are out of date.
 *
 * @param misfirePolicy {@code FIRE_ONCE} (ticks missed while no scheduler ran start one workflow at once) or
 *     {@code SKIP} (they are dropped)
 */
public record Schedule(UUID id, String tenantId, String name, String cron, String timeZone, String misfirePolicy,
        JsonNode workflow, boolean enabled, long version) {
    public static final String FIRE_ONCE = "FIRE_ONCE";
    public static final String SKIP = "SKIP";
}
