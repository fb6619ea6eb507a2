package dev.tuneforge.scheduler.timers;

import dev.tuneforge.scheduler.schedules.Schedule;
import dev.tuneforge.scheduler.schedules.ScheduleStore;
import io.quarkus.quartz.Nonconcurrent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * Makes Quartz's clustered JDBC store match the {@code schedules} table: one {@link ScheduleTick} job and cron
 * trigger per enabled schedule (keys from the schedule id, the row's version in the job data so an edited row is
 * rescheduled), and none for a disabled or deleted one. Runs on one instance at a time (clustered, non-concurrent)
 * inside a transaction, so Quartz's store changes commit together (JDBC-CMT store).
 */
@ApplicationScoped
public class ScheduleSync {
    static final String GROUP = "tuneforge-schedules";

    private static final Logger LOG = Logger.getLogger(ScheduleSync.class);

    private final ScheduleStore schedules;
    private final Scheduler quartz;

    public ScheduleSync(ScheduleStore schedules, Scheduler quartz) {
        this.schedules = schedules;
        this.quartz = quartz;
    }

    @Scheduled(identity = "schedule-sync", every = "${tuneforge.scheduler.schedules.sync-interval}")
    @Nonconcurrent
    @Transactional
    void sync() throws SchedulerException {
        List<Schedule> enabled = schedules.enabled();
        Set<JobKey> wanted = new HashSet<>();
        for (Schedule schedule : enabled) {
            wanted.add(keyOf(schedule.id()));
            apply(schedule);
        }
        for (JobKey stored : quartz.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
            if (!wanted.contains(stored)) {
                quartz.deleteJob(stored);
                LOG.infof("schedule %s is disabled or deleted: its trigger is removed", stored.getName());
            }
        }
    }

    private void apply(Schedule schedule) throws SchedulerException {
        JobKey key = keyOf(schedule.id());
        JobDetail stored = quartz.getJobDetail(key);
        String version = Long.toString(schedule.version());
        if (stored != null && version.equals(stored.getJobDataMap().getString(ScheduleTick.VERSION))) {
            return;
        }
        JobDetail job = JobBuilder.newJob(ScheduleTick.class).withIdentity(key)
                .usingJobData(ScheduleTick.SCHEDULE_ID, schedule.id().toString())
                .usingJobData(ScheduleTick.VERSION, version).build();
        Trigger trigger;
        try {
            trigger = triggerOf(schedule, key);
        } catch (RuntimeException e) {
            // The API validates cron and zone; a row that still has bad ones must not stop the other schedules.
            LOG.errorf("schedule %s ('%s'): cannot build its trigger from cron '%s' in '%s': %s", schedule.id(),
                    schedule.name(), schedule.cron(), schedule.timeZone(), e.getMessage());
            return;
        }
        if (stored != null) {
            quartz.scheduleJob(job, Set.of(trigger), true);
            LOG.infof("schedule %s ('%s') changed: rescheduled at version %s", schedule.id(), schedule.name(), version);
            return;
        }
        try {
            quartz.scheduleJob(job, trigger);
            LOG.infof("schedule %s ('%s') scheduled: '%s' in %s", schedule.id(), schedule.name(), schedule.cron(),
                    schedule.timeZone());
        } catch (ObjectAlreadyExistsException e) {
            // Another instance created it between our look and our insert: done.
            LOG.debugf("schedule %s was scheduled by another instance", schedule.id());
        }
    }

    private static Trigger triggerOf(Schedule schedule, JobKey key) {
        CronScheduleBuilder cron = CronScheduleBuilder.cronSchedule(schedule.cron())
                .inTimeZone(TimeZone.getTimeZone(ZoneId.of(schedule.timeZone())));
        cron = switch (schedule.misfirePolicy()) {
            case Schedule.FIRE_ONCE -> cron.withMisfireHandlingInstructionFireAndProceed();
            case Schedule.SKIP -> cron.withMisfireHandlingInstructionDoNothing();
            default -> throw new IllegalArgumentException("unknown misfire policy '" + schedule.misfirePolicy()
                    + "'; one of " + Schedule.FIRE_ONCE + ", " + Schedule.SKIP);
        };
        return TriggerBuilder.newTrigger().withIdentity(key.getName(), GROUP).forJob(key).withSchedule(cron).build();
    }

    static JobKey keyOf(UUID schedule) {
        return JobKey.jobKey("schedule-" + schedule, GROUP);
    }
}
