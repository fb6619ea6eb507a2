package dev.tuneforge.api.schedules;

import dev.tuneforge.common.jobs.Violation;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * A Quartz cron expression in a time zone: checked with Quartz's own parser, because the scheduler
 * fires it with Quartz, and asked for its next fire times.
 */
public record CronSchedule(String cron, ZoneId zone) {
    static final String DEFAULT_ZONE = "UTC";

    /**
     * The schedule, or null after adding to {@code violations} why not: {@code cron} (fields, grammar, never
     * fires again) and {@code timeZone} (not an IANA id, or an abbreviation such as EST).
     */
    static CronSchedule parse(String cron, String timeZone, List<Violation> violations) {
        ZoneId zone = zone(timeZone == null ? DEFAULT_ZONE : timeZone, violations);
        CronExpression expression = expression(cron, violations);
        if (zone == null || expression == null) {
            return null;
        }
        CronSchedule schedule = new CronSchedule(cron, zone);
        if (schedule.next(Instant.now(), 1).isEmpty()) {
            violations.add(new Violation("cron", "'" + cron + "' never fires again in " + zone.getId()));
            return null;
        }
        return schedule;
    }

    /** Up to {@code count} fire times after {@code after}, earliest first (fewer when the cron ends, e.g. a year). */
    public List<Instant> next(Instant after, int count) {
        CronExpression expression = expression(cron, new ArrayList<>());
        expression.setTimeZone(TimeZone.getTimeZone(zone));
        List<Instant> times = new ArrayList<>();
        Date at = Date.from(after);
        while (times.size() < count && (at = expression.getNextValidTimeAfter(at)) != null) {
            times.add(at.toInstant());
        }
        return times;
    }

    private static CronExpression expression(String cron, List<Violation> violations) {
        if (cron == null || cron.isBlank()) {
            // A cron that is there but not a string was already named; "required" would only contradict it.
            if (violations.stream().noneMatch(v -> v.field().equals("cron"))) {
                violations.add(new Violation("cron", "required: a Quartz cron expression such as '0 0 3 * * ?'"));
            }
            return null;
        }
        int fields = cron.trim().split("\\s+").length;
        if (fields < 6 || fields > 7) {
            violations.add(new Violation("cron", "a Quartz cron expression has 6 or 7 fields (seconds minutes hours"
                    + " day-of-month month day-of-week [year]), '" + cron + "' has " + fields));
            return null;
        }
        try {
            return new CronExpression(cron);
        } catch (ParseException e) {
            violations.add(new Violation("cron", "not a valid Quartz cron expression '" + cron + "': " + e.getMessage()));
            return null;
        }
    }

    private static ZoneId zone(String id, List<Violation> violations) {
        // ZoneId also knows EST, MST, HST (and, with SHORT_IDS, PST...): fixed offsets or ambiguous, never wanted here.
        if (ZoneId.SHORT_IDS.containsKey(id)) {
            String region = ZoneId.SHORT_IDS.get(id);
            violations.add(new Violation("timeZone", "'" + id + "' is an abbreviation; use an IANA region id such as '"
                    + (region.contains("/") ? region : "America/New_York") + "'"));
            return null;
        }
        if (!ZoneId.getAvailableZoneIds().contains(id)) {
            violations.add(new Violation("timeZone", "unknown time zone '" + id + "'; use an IANA id such as"
                    + " 'Europe/Berlin' or 'UTC'"));
            return null;
        }
        return ZoneId.of(id);
    }
}
