package dev.tuneforge.worker.runner;

import dev.tuneforge.common.events.JobCancelRequested;
import dev.tuneforge.common.events.JobCommand;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The cancel requests this worker has read from job-control, kept for the worker's lifetime: a
 * command can reach a worker after its cancel request did. A request cancels the attempt it names
 * and every earlier one.
 */
public final class CancelRegistry {
    private final Map<UUID, JobCancelRequested> requests = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<JobCancelRequested>> listeners = new CopyOnWriteArrayList<>();

    public void record(JobCancelRequested request) {
        requests.merge(request.jobId(), request, (old, now) -> now.attempt() >= old.attempt() ? now : old);
        listeners.forEach(listener -> listener.accept(request));
    }

    /** The cancel request that covers this command, if any. */
    public Optional<JobCancelRequested> find(JobCommand command) {
        return Optional.ofNullable(requests.get(command.jobId())).filter(request -> covers(request, command));
    }

    /** Called for every request recorded from now on (on the reader's thread). */
    public void onRequest(Consumer<JobCancelRequested> listener) {
        listeners.add(listener);
    }

    public static boolean covers(JobCancelRequested request, JobCommand command) {
        return request.jobId().equals(command.jobId()) && request.attempt() >= command.attempt();
    }
}
