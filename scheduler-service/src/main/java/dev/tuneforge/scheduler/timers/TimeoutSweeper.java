package dev.tuneforge.scheduler.timers;

import dev.tuneforge.scheduler.retry.StepTimeouts;
import dev.tuneforge.scheduler.workflows.WorkflowTimeouts;
import io.quarkus.quartz.Nonconcurrent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The Quartz job (clustered: one instance at a time) that enforces the step and workflow time limits. Steps
 * first: a step that times out on its last attempt fails its workflow with the step's reason, not a bare timeout.
 */
@ApplicationScoped
public class TimeoutSweeper {
    private static final Logger LOG = Logger.getLogger(TimeoutSweeper.class);

    private final StepTimeouts steps;
    private final WorkflowTimeouts workflows;

    public TimeoutSweeper(StepTimeouts steps, WorkflowTimeouts workflows) {
        this.steps = steps;
        this.workflows = workflows;
    }

    @Scheduled(identity = "workflow-timeouts", every = "${tuneforge.scheduler.workflow.sweep-interval}")
    @Nonconcurrent
    void sweep() {
        Instant now = Instant.now();
        int slowSteps = steps.sweep(now);
        int expired = workflows.sweep(now);
        if (slowSteps + expired > 0) {
            LOG.infof("timeout sweep: %d step(s) over time, %d workflow(s) timed out", slowSteps, expired);
        }
    }
}
