package dev.tuneforge.worker.health;

import dev.tuneforge.worker.runner.JobRunner;
import dev.tuneforge.worker.runner.WorkerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the job runner has joined the share group and is taking commands. */
@Readiness
@ApplicationScoped
public class JobRunnerReadinessCheck implements HealthCheck {
    private final WorkerRuntime runtime;

    @Inject
    public JobRunnerReadinessCheck(WorkerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        JobRunner.State state = runtime.state();
        return HealthCheckResponse.named("job-runner").status(state == JobRunner.State.RUNNING)
                .withData("worker", runtime.workerId())
                .withData("state", state.name())
                .withData("detail", runtime.detail()).build();
    }
}
