package dev.tuneforge.scheduler.timers;

import dev.tuneforge.scheduler.schedules.ScheduleStarts;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import java.util.UUID;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The Quartz job a schedule's cron trigger runs ({@link ScheduleSync} creates one per schedule): starts the
 * workflow of the tick. The tick is the trigger's scheduled fire time, not the clock, so two fires of one tick
 * (another instance, a recovered fire) name the same tick and the database keeps one of them.
 */
@Dependent
@Unremovable // Looked up by Quartz's job factory from the stored job class, never injected.
public class ScheduleTick implements Job {
    static final String SCHEDULE_ID = "scheduleId";
    static final String VERSION = "version";

    private final ScheduleStarts starts;

    public ScheduleTick(ScheduleStarts starts) {
        this.starts = starts;
    }

    @Override
    public void execute(JobExecutionContext context) {
        UUID schedule = UUID.fromString(context.getMergedJobDataMap().getString(SCHEDULE_ID));
        starts.start(schedule, context.getScheduledFireTime().toInstant());
    }
}
