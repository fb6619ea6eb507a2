package dev.tuneforge.worker.runner;

import dev.tuneforge.worker.config.WorkerConfig;
import dev.tuneforge.worker.config.WorkerIdentity;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs the {@link JobRunner} with the application: started with it, stopped gracefully with it
 * (Quarkus shutdown, SIGTERM included). The job handlers are the {@link JobHandler} beans of the build.
 */
@ApplicationScoped
public class WorkerRuntime {
    private final JobRunner runner;

    @Inject
    public WorkerRuntime(WorkerConfig config, WorkerIdentity identity,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @Any Instance<JobHandler> handlers) {
        this.runner = new JobRunner(config, identity.id(), bootstrapServers, new JobHandlers(handlers.stream().toList()));
    }

    void onStart(@Observes StartupEvent event) {
        runner.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        runner.stop();
    }

    public JobRunner.State state() {
        return runner.state();
    }

    public String detail() {
        return runner.detail();
    }

    public String workerId() {
        return runner.workerId();
    }
}
