package dev.tuneforge.worker.runner;

import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.jobs.TrainSpec;
import java.util.UUID;

/** Commands for unit tests. */
final class Commands {
    private Commands() {
    }

    static JobCommand train(UUID jobId, int attempt) {
        return new JobCommand(jobId, attempt, "local", "tester", TrainSpec.lora("sd15", "faces"));
    }

    static JobCommand train() {
        return train(UUID.randomUUID(), 1);
    }
}
