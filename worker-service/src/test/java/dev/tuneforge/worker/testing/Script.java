package dev.tuneforge.worker.testing;

import dev.tuneforge.worker.runner.JobContext;
import dev.tuneforge.worker.runner.JobResult;
import dev.tuneforge.worker.runner.Progress;
import java.time.Duration;
import java.util.Map;

/** What the test handler does for one job. */
@FunctionalInterface
public interface Script {
    JobResult run(JobContext context) throws Exception;

    /** {@code steps} steps of {@code each}, reporting progress after each and stopping when asked. */
    static Script steps(int steps, Duration each) {
        return context -> {
            for (int step = 1; step <= steps; step++) {
                if (context.stopRequested()) {
                    return JobResult.stopped();
                }
                Thread.sleep(each.toMillis());
                context.progress(Progress.steps(step, steps, "step " + step));
            }
            return JobResult.succeeded(Map.of("lora", "tenants/local/jobs/" + context.command().jobId() + "/final"));
        };
    }

    /** Throws {@code error} on the first delivery, then runs {@code then}. */
    static Script failFirstDelivery(RuntimeException error, Script then) {
        return context -> {
            if (context.delivery() == 1) {
                throw error;
            }
            return then.run(context);
        };
    }

    static Script throwing(Exception error) {
        return context -> {
            throw error;
        };
    }
}
