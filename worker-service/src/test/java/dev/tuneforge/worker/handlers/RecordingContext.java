package dev.tuneforge.worker.handlers;

import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.worker.runner.JobContext;
import dev.tuneforge.worker.runner.Progress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link JobContext} that records what a handler reports; it can ask for a stop once a step is reached. */
final class RecordingContext implements JobContext {
    record Checkpoint(int step, String location) {
    }

    record Samples(int step, List<String> locations) {
    }

    record Evaluated(Integer step, Map<String, Double> metrics, String location) {
    }

    private final JobCommand command;
    private final int delivery;
    private final int stopAfterStep;
    final List<Progress> progress = new CopyOnWriteArrayList<>();
    final List<Checkpoint> checkpoints = new CopyOnWriteArrayList<>();
    final List<Samples> samples = new CopyOnWriteArrayList<>();
    final List<Evaluated> evaluated = new CopyOnWriteArrayList<>();

    /** @param stopAfterStep the step after which {@link #stopRequested()} turns true; 0 for never */
    RecordingContext(JobCommand command, int delivery, int stopAfterStep) {
        this.command = command;
        this.delivery = delivery;
        this.stopAfterStep = stopAfterStep;
    }

    @Override
    public JobCommand command() {
        return command;
    }

    @Override
    public String workerId() {
        return "test-worker";
    }

    @Override
    public int delivery() {
        return delivery;
    }

    @Override
    public boolean stopRequested() {
        return stopAfterStep > 0 && !progress.isEmpty() && progress.get(progress.size() - 1).step() >= stopAfterStep;
    }

    @Override
    public void progress(Progress p) {
        progress.add(p);
    }

    @Override
    public void checkpoint(int step, String location) {
        checkpoints.add(new Checkpoint(step, location));
    }

    @Override
    public void samples(int step, List<String> locations) {
        samples.add(new Samples(step, List.copyOf(locations)));
    }

    @Override
    public void evaluated(Integer step, Map<String, Double> metrics, String reportLocation) {
        evaluated.add(new Evaluated(step, Map.copyOf(metrics), reportLocation));
    }
}
