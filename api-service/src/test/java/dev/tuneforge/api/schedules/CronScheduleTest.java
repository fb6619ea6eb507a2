package dev.tuneforge.api.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.common.jobs.Violation;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
    private static final Instant T = Instant.parse("2026-03-27T12:00:00Z");

    @Test
    void fireTimesFollowTheZoneAcrossADaylightSavingChange() {
        // Berlin moves from UTC+1 to UTC+2 on 2026-03-29: 03:00 local is 02:00Z before and 01:00Z after.
        CronSchedule nightly = new CronSchedule("0 0 3 * * ?", ZoneId.of("Europe/Berlin"));

        assertThat(nightly.next(T, 3)).containsExactly(Instant.parse("2026-03-28T02:00:00Z"),
                Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("2026-03-30T01:00:00Z"));
    }

    @Test
    void aCronThatEndsGivesFewerTimes() {
        CronSchedule once = new CronSchedule("0 0 0 1 1 ? 2027", ZoneId.of("UTC"));

        assertThat(once.next(T, 3)).containsExactly(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void parseNamesTheCronAndTheZoneTogether() {
        List<Violation> violations = new ArrayList<>();

        assertThat(CronSchedule.parse("0 0 3 * * ? *", "HST", violations)).isNull();
        assertThat(CronSchedule.parse("0 0 3 * * ?", null, violations)).isNotNull()
                .satisfies(s -> assertThat(s.zone()).isEqualTo(ZoneId.of("UTC")));

        assertThat(violations).extracting(Violation::field).containsExactly("timeZone");
    }
}
