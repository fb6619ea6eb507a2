package dev.tuneforge.scheduler.timers;

import dev.tuneforge.scheduler.retry.Requeue;
import io.quarkus.quartz.Nonconcurrent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** The Quartz job that puts due retries back on the queue (clustered: one instance fires at a time). */
@ApplicationScoped
public class RetryTimer {
    private final Requeue requeue;

    public RetryTimer(Requeue requeue) {
        this.requeue = requeue;
    }

    @Scheduled(identity = "retry-due", every = "${tuneforge.scheduler.retry.poll-interval}")
    @Nonconcurrent
    void requeueDue() {
        requeue.requeueDue(Instant.now());
    }
}
