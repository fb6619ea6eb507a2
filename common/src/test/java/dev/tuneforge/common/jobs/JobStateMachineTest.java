package dev.tuneforge.common.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.common.events.EventType;
import org.junit.jupiter.api.Test;

class JobStateMachineTest {
    @Test
    void happyPathMovesForward() {
        assertThat(JobStateMachine.canTransition(JobStatus.SUBMITTED, JobStatus.QUEUED)).isTrue();
        assertThat(JobStateMachine.onEvent(JobStatus.QUEUED, EventType.JOB_STARTED)).contains(JobStatus.RUNNING);
        assertThat(JobStateMachine.onEvent(JobStatus.RUNNING, EventType.JOB_SUCCEEDED)).contains(JobStatus.SUCCEEDED);
    }

    @Test
    void aFastWorkerMayOvertakeTheRelay() {
        assertThat(JobStateMachine.onEvent(JobStatus.SUBMITTED, EventType.JOB_STARTED)).contains(JobStatus.RUNNING);
        assertThat(JobStateMachine.canTransition(JobStatus.RUNNING, JobStatus.QUEUED)).isFalse();
    }

    @Test
    void progressOnARunningJobChangesNothing() {
        assertThat(JobStateMachine.onEvent(JobStatus.RUNNING, EventType.JOB_PROGRESS)).isEmpty();
        assertThat(JobStateMachine.onEvent(JobStatus.QUEUED, EventType.JOB_PROGRESS)).contains(JobStatus.RUNNING);
    }

    @Test
    void terminalStatesNeverChange() {
        for (JobStatus terminal : new JobStatus[] {JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED}) {
            for (EventType type : EventType.values()) {
                assertThat(JobStateMachine.onEvent(terminal, type)).as(terminal + " on " + type).isEmpty();
            }
        }
    }

    @Test
    void retryGoesBackToQueuedThenRuns() {
        assertThat(JobStateMachine.canTransition(JobStatus.RUNNING, JobStatus.RETRYING)).isTrue();
        assertThat(JobStateMachine.canTransition(JobStatus.RETRYING, JobStatus.QUEUED)).isTrue();
        assertThat(JobStateMachine.canTransition(JobStatus.SUBMITTED, JobStatus.RETRYING)).isFalse();
    }

    @Test
    void onlyTheCurrentAttemptCounts() {
        assertThat(JobStateMachine.isCurrentAttempt(2, 2)).isTrue();
        assertThat(JobStateMachine.isCurrentAttempt(1, 2)).isFalse();
        assertThat(JobStateMachine.isCurrentAttempt(3, 2)).isFalse();
    }
}
