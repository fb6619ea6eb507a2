package dev.tuneforge.scheduler.retry;

import dev.tuneforge.scheduler.config.SchedulerConfig;
import dev.tuneforge.scheduler.jobs.Job;
import dev.tuneforge.scheduler.jobs.JobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Finds RUNNING jobs whose worker went silent for longer than the heartbeat timeout and sends them
 * down the {@link RetryPath}. Progress events are the heartbeats (DESIGN §4).
 */
@ApplicationScoped
public class HeartbeatTimeouts {
    static final String CAUSE = "timer:heartbeat-timeout";

    private final JobStore jobs;
    private final LostAttempts lostAttempts;
    private final SchedulerConfig.Heartbeat config;

    public HeartbeatTimeouts(JobStore jobs, LostAttempts lostAttempts, SchedulerConfig config) {
        this.jobs = jobs;
        this.lostAttempts = lostAttempts;
        this.config = config.heartbeat();
    }

    /** Handles the jobs silent at {@code now}; returns how many. */
    @Transactional
    public int sweep(Instant now) {
        Duration timeout = config.timeout();
        List<Job> silent = jobs.lockSilentSince(now.minus(timeout), config.batchSize());
        String reason = "no heartbeat for " + humanReadable(timeout);
        return lostAttempts.lose(silent, reason, CAUSE, now);
    }

    /** 5m, 30s, 1h30m: the way the timeout is configured. */
    static String humanReadable(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
