package dev.tuneforge.worker.runner;

import dev.tuneforge.common.jobs.JobKind;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** The handler of each job kind this worker build has (at most one per kind). */
public final class JobHandlers {
    private final Map<JobKind, JobHandler> byKind = new EnumMap<>(JobKind.class);

    public JobHandlers(Collection<? extends JobHandler> handlers) {
        for (JobHandler handler : handlers) {
            JobHandler other = byKind.putIfAbsent(handler.kind(), handler);
            if (other != null) {
                throw new IllegalStateException("two handlers for job kind '" + handler.kind().wireName() + "': "
                        + other.getClass().getName() + " and " + handler.getClass().getName());
            }
        }
    }

    public Optional<JobHandler> find(JobKind kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    /** Why a job of {@code kind} cannot run here; the reason its failed event carries. */
    public static String noHandlerReason(JobKind kind, String workerId) {
        return "no handler for job kind '" + kind.wireName() + "' on worker " + workerId
                + ": this worker build has no " + kind.wireName() + " handler";
    }
}
