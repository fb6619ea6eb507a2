package dev.tuneforge.common.jobs;

import dev.tuneforge.common.events.EventType;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The job life cycle with attempts. Events can race the API's own transitions (a fast worker's
 * {@code started} may be processed before the relay marks the job QUEUED), so every forward move
 * from a non-terminal state is allowed, backward moves are not, and terminal states never change.
 */
public final class JobStateMachine {
    private static final Set<JobStatus> ANY_LIVE =
            EnumSet.of(JobStatus.SUBMITTED, JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.RETRYING);

    private static final Map<JobStatus, Set<JobStatus>> ALLOWED_FROM = Map.of(
            JobStatus.QUEUED, EnumSet.of(JobStatus.SUBMITTED, JobStatus.RETRYING),
            JobStatus.RUNNING, EnumSet.of(JobStatus.SUBMITTED, JobStatus.QUEUED, JobStatus.RETRYING),
            JobStatus.RETRYING, EnumSet.of(JobStatus.QUEUED, JobStatus.RUNNING),
            JobStatus.SUCCEEDED, ANY_LIVE,
            JobStatus.FAILED, ANY_LIVE,
            JobStatus.CANCELLED, ANY_LIVE);

    private JobStateMachine() {
    }

    public static boolean canTransition(JobStatus from, JobStatus to) {
        Set<JobStatus> sources = ALLOWED_FROM.get(to);
        return sources != null && sources.contains(from);
    }

    /** The state an event of the current attempt moves the job to, or empty when it changes nothing. */
    public static Optional<JobStatus> onEvent(JobStatus current, EventType event) {
        return targetOf(event).filter(target -> canTransition(current, target));
    }

    /**
     * Zombie fencing: only events of the job's current attempt change state. Events of an older
     * attempt (a worker that lost its lock but kept going) are audited and otherwise ignored.
     */
    public static boolean isCurrentAttempt(int eventAttempt, int currentAttempt) {
        return eventAttempt == currentAttempt;
    }

    private static Optional<JobStatus> targetOf(EventType event) {
        return switch (event) {
            case JOB_STARTED, JOB_PROGRESS, JOB_CHECKPOINT, JOB_SAMPLES, JOB_EVALUATED -> Optional.of(JobStatus.RUNNING);
            case JOB_SUCCEEDED -> Optional.of(JobStatus.SUCCEEDED);
            case JOB_FAILED -> Optional.of(JobStatus.FAILED);
            case JOB_CANCELLED -> Optional.of(JobStatus.CANCELLED);
            case JOB_REQUESTED, JOB_CANCEL_REQUESTED -> Optional.empty();
        };
    }
}
