package dev.tuneforge.scheduler.retry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobFailed;
import dev.tuneforge.common.jobs.JobStatus;
import dev.tuneforge.scheduler.config.SchedulerConfig;
import dev.tuneforge.scheduler.jobs.AuditEntry;
import dev.tuneforge.scheduler.jobs.AuditLog;
import dev.tuneforge.scheduler.jobs.Job;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * What happens when a job's current attempt is lost (no heartbeat, or a retryable failure): another
 * attempt after a backoff while attempts remain, otherwise FAILED. Both outcomes are audited as the
 * scheduler's own entries, with the cause (timer or event) that led to them.
 */
@Startup // Created at start, so that bad retry settings stop the service right away.
@ApplicationScoped
public class RetryPath {
    /** Audit type of "attempt n is lost, attempt n+1 is due at …"; the scheduler never publishes it. */
    public static final String RETRY_SCHEDULED = "dev.tuneforge.job.retry-scheduled";

    private static final Logger LOG = Logger.getLogger(RetryPath.class);

    private final Backoff backoff;
    private final AuditLog audit;
    private final ObjectMapper mapper;
    private final String source;

    public RetryPath(SchedulerConfig config, AuditLog audit, EventCodec codec) {
        this.backoff = backoffOf(config.retry());
        this.audit = audit;
        this.mapper = codec.mapper();
        this.source = config.source();
    }

    /**
     * Retries or fails {@code job} (the caller saves it). {@code cause} tells why, e.g.
     * {@code timer:heartbeat-timeout} or {@code event:<id>}.
     */
    public void attemptLost(Job job, String reason, String cause, Instant now) {
        if (job.hasAttemptsLeft()) {
            Instant dueAt = now.plus(backoff.delay(job.attempt()));
            if (job.scheduleRetry(now, dueAt, reason)) {
                LOG.infof("job %s attempt %d lost (%s); attempt %d due at %s", job.id(), job.attempt(), reason,
                        job.attempt() + 1, dueAt);
                audit.append(AuditEntry.bySchedulerOf(job, RETRY_SCHEDULED, source, cause, now,
                        mapper.valueToTree(retryScheduled(job, reason, dueAt))));
            }
            return;
        }
        String finalReason = reason + " after " + job.attempt() + (job.attempt() == 1 ? " attempt" : " attempts");
        if (job.moveTo(JobStatus.FAILED, now, finalReason)) {
            LOG.warnf("job %s failed: %s", job.id(), finalReason);
            audit.append(AuditEntry.bySchedulerOf(job, EventType.JOB_FAILED.type(), source, cause, now,
                    mapper.valueToTree(new JobFailed(job.id(), job.attempt(), finalReason, false))));
        }
    }

    private static Backoff backoffOf(SchedulerConfig.Retry retry) {
        try {
            return new Backoff(retry.initialBackoff(), retry.maxBackoff(), retry.multiplier(), retry.jitter());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid tuneforge.scheduler.retry settings: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> retryScheduled(Job job, String reason, Instant dueAt) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("jobId", job.id());
        payload.put("attempt", job.attempt());
        payload.put("nextAttempt", job.attempt() + 1);
        payload.put("maxAttempts", job.maxAttempts());
        payload.put("retryAt", dueAt);
        payload.put("reason", reason);
        return payload;
    }
}
