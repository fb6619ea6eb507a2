package dev.tuneforge.worker.runner;

import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCheckpoint;
import dev.tuneforge.common.events.JobCommand;
import dev.tuneforge.common.events.JobEvaluated;
import dev.tuneforge.common.events.JobEventData;
import dev.tuneforge.common.events.JobProgress;
import dev.tuneforge.common.events.JobSamples;
import dev.tuneforge.worker.messaging.EventPublisher;
import dev.tuneforge.worker.messaging.PublishException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of a {@link JobHandler} on a thread of its own, and the {@link JobContext} the handler
 * sees. The consumer thread waits on it, asks it to stop, and sends heartbeats when the handler has
 * been silent too long; once the runner has settled the record the execution is retired and a
 * straggling handler can publish nothing more.
 */
final class JobExecution implements JobContext {
    /** Why the runner asked the job to stop and, for people, by whom. */
    record Stop(StopReason reason, String note) {
    }

    private final JobHandler handler;
    private final JobCommand command;
    private final int delivery;
    private final String workerId;
    private final EventPublisher publisher;
    private final AtomicReference<Stop> stop = new AtomicReference<>();
    private final CompletableFuture<Completion> done = new CompletableFuture<>();
    private final Thread thread;
    private volatile long lastEventNanos;
    private volatile boolean retired;

    JobExecution(JobHandler handler, JobCommand command, int delivery, String workerId, EventPublisher publisher) {
        this.handler = handler;
        this.command = command;
        this.delivery = delivery;
        this.workerId = workerId;
        this.publisher = publisher;
        this.thread = new Thread(this::execute, "job-" + command.jobId());
        this.thread.setDaemon(true);
    }

    /** Starts the handler; {@code started} was just published, so the heartbeat clock starts now. */
    void start() {
        lastEventNanos = System.nanoTime();
        thread.start();
    }

    private void execute() {
        try {
            done.complete(Completion.of(handler.run(this)));
        } catch (Throwable e) {
            done.complete(Completion.failed(e));
        }
    }

    /** The completion, waiting at most {@code nanos} for it; null if the handler is still running. */
    Completion await(long nanos) throws InterruptedException {
        try {
            return done.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("completion is never exceptional", e);
        }
    }

    boolean isDone() {
        return done.isDone();
    }

    /** Asks the handler to stop; the first reason given stays. */
    void requestStop(StopReason reason, String note) {
        stop.compareAndSet(null, new Stop(reason, note));
    }

    Stop stop() {
        return stop.get();
    }

    long lastEventNanos() {
        return lastEventNanos;
    }

    /** Publishes a heartbeat progress event (best effort) and restarts the silence clock. */
    void heartbeat() {
        publish(JobProgress.heartbeat(command.jobId(), command.attempt(), workerId, "running"));
    }

    /** The runner is done with this job: from now on the handler's reports are dropped. */
    void retire() {
        retired = true;
    }

    /** Gives up on a handler that would not stop: it is interrupted and retired. */
    void abandon() {
        retire();
        thread.interrupt();
    }

    @Override
    public JobCommand command() {
        return command;
    }

    @Override
    public String workerId() {
        return workerId;
    }

    @Override
    public int delivery() {
        return delivery;
    }

    @Override
    public boolean stopRequested() {
        return stop.get() != null;
    }

    @Override
    public void progress(Progress p) {
        publish(new JobProgress(command.jobId(), command.attempt(), workerId, p.step(), p.totalSteps(), p.loss(),
                p.lossAverage(), p.learningRate(), p.imagesPerSecond(), p.etaSeconds(), p.message()));
    }

    @Override
    public void checkpoint(int step, String location) {
        publishAndWait(EventType.JOB_CHECKPOINT, new JobCheckpoint(command.jobId(), command.attempt(), step, location));
    }

    @Override
    public void samples(int step, List<String> locations) {
        publishAndWait(EventType.JOB_SAMPLES, new JobSamples(command.jobId(), command.attempt(), step, locations));
    }

    @Override
    public void evaluated(Integer step, Map<String, Double> metrics, String reportLocation) {
        publishAndWait(EventType.JOB_EVALUATED,
                new JobEvaluated(command.jobId(), command.attempt(), step, metrics, reportLocation));
    }

    private void publish(JobProgress progress) {
        if (!retired) {
            lastEventNanos = System.nanoTime();
            publisher.publishBestEffort(EventType.JOB_PROGRESS, progress);
        }
    }

    private void publishAndWait(EventType type, JobEventData data) {
        if (retired) {
            throw new RetryableJobException("job " + command.jobId() + " is no longer held by worker " + workerId);
        }
        try {
            publisher.publishAndWait(type, data);
            lastEventNanos = System.nanoTime();
        } catch (PublishException e) {
            throw new RetryableJobException(e.getMessage(), e);
        }
    }
}
