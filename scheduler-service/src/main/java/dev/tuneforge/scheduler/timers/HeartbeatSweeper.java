package dev.tuneforge.scheduler.timers;

import dev.tuneforge.scheduler.config.SchedulerConfig;
import dev.tuneforge.scheduler.retry.HeartbeatTimeouts;
import io.quarkus.quartz.Nonconcurrent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The Quartz job that looks for jobs whose heartbeat stopped. The trigger lives in the clustered
 * JDBC store: one scheduler instance of the cluster fires it at a time.
 */
@ApplicationScoped
public class HeartbeatSweeper {
    private static final Logger LOG = Logger.getLogger(HeartbeatSweeper.class);

    private final HeartbeatTimeouts timeouts;
    private final SchedulerConfig config;
    private volatile Instant sweepFrom = Instant.MAX;

    public HeartbeatSweeper(HeartbeatTimeouts timeouts, SchedulerConfig config) {
        this.timeouts = timeouts;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        sweepFrom = Instant.now().plus(config.heartbeat().startupGrace());
    }

    @Scheduled(identity = "heartbeat-sweep", every = "${tuneforge.scheduler.heartbeat.sweep-interval}")
    @Nonconcurrent
    void sweep() {
        Instant now = Instant.now();
        if (now.isBefore(sweepFrom)) {
            return;
        }
        int handled = timeouts.sweep(now);
        if (handled > 0) {
            LOG.infof("heartbeat sweep: %d silent job(s) retried or failed", handled);
        }
    }
}
