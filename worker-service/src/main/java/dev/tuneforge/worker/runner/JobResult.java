package dev.tuneforge.worker.runner;

import java.util.Map;

/** How a {@link JobHandler} run ended without an exception. */
public sealed interface JobResult {

    /** The job is done; {@code artifacts} maps an artifact name to its object-store location. */
    record Succeeded(Map<String, String> artifacts) implements JobResult {
        public Succeeded {
            artifacts = Map.copyOf(artifacts);
        }
    }

    /** The handler stopped early because {@link JobContext#stopRequested()} asked it to. */
    record Stopped() implements JobResult {
    }

    static JobResult succeeded(Map<String, String> artifacts) {
        return new Succeeded(artifacts);
    }

    static JobResult stopped() {
        return new Stopped();
    }
}
