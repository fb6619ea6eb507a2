package dev.tuneforge.worker.testing;

import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.worker.runner.JobContext;
import dev.tuneforge.worker.runner.JobHandler;
import dev.tuneforge.worker.runner.JobResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The train handler of the test build: runs the {@link Script} a test registered for the job and
 * records every run (with its delivery number). The test build has no generate or evaluate handler.
 */
@ApplicationScoped
public class ScriptedTrainHandler implements JobHandler {
    private final Map<UUID, Script> scripts = new ConcurrentHashMap<>();
    private final Map<UUID, List<Integer>> runs = new ConcurrentHashMap<>();

    public void script(UUID jobId, Script script) {
        scripts.put(jobId, script);
    }

    /** The delivery number of every run of the job, in order. */
    public List<Integer> runs(UUID jobId) {
        return List.copyOf(runs.getOrDefault(jobId, List.of()));
    }

    @Override
    public JobKind kind() {
        return JobKind.TRAIN;
    }

    @Override
    public JobResult run(JobContext context) throws Exception {
        UUID jobId = context.command().jobId();
        runs.computeIfAbsent(jobId, id -> new CopyOnWriteArrayList<>()).add(context.delivery());
        Script script = scripts.get(jobId);
        if (script == null) {
            throw new IllegalStateException("no script registered for job " + jobId);
        }
        return script.run(context);
    }
}
