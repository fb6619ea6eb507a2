package dev.tuneforge.scheduler.timers;

import dev.tuneforge.scheduler.retention.CheckpointRetention;
import io.quarkus.quartz.Nonconcurrent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The Quartz job of retention. Its trigger lives in the clustered JDBC store, so one scheduler instance
 * purges at a time; a sweep handles one batch and loops until nothing old is left, so a large backlog
 * (retention switched on for an old installation) never becomes one huge transaction.
 */
@ApplicationScoped
public class RetentionSweeper {
    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);

    private final CheckpointRetention retention;

    public RetentionSweeper(CheckpointRetention retention) {
        this.retention = retention;
    }

    @Scheduled(identity = "retention-sweep", every = "${tuneforge.scheduler.retention.interval}")
    @Nonconcurrent
    void sweep() {
        int total = 0;
        for (int purged = retention.sweep(Instant.now()); purged > 0; purged = retention.sweep(Instant.now())) {
            total += purged;
        }
        if (total > 0) {
            LOG.infof("retention: the objects of %d old checkpoint(s) deleted", total);
        }
    }
}
