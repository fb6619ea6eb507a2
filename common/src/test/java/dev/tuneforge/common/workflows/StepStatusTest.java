package dev.tuneforge.common.workflows;

import static dev.tuneforge.common.jobs.JobStatus.CANCELLED;
import static dev.tuneforge.common.jobs.JobStatus.FAILED;
import static dev.tuneforge.common.jobs.JobStatus.QUEUED;
import static dev.tuneforge.common.jobs.JobStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepStatusTest {
    @Test
    void aStepWithoutJobsWaitsWhileItsWorkflowRunsAndIsSkippedOrCancelledWhenItEnded() {
        assertThat(StepStatus.of(List.of(), "PENDING", true)).isEqualTo(StepStatus.PENDING);
        assertThat(StepStatus.of(List.of(), "PENDING", false)).isEqualTo(StepStatus.SKIPPED);
        assertThat(StepStatus.of(List.of(), "CANCELLED", false)).isEqualTo(StepStatus.CANCELLED);
    }

    @Test
    void aStepRunsWhileAnyOfItsJobsRunsThenTakesTheWorstOutcome() {
        assertThat(StepStatus.of(List.of(SUCCEEDED, QUEUED), "RUNNING", true)).isEqualTo(StepStatus.RUNNING);
        assertThat(StepStatus.of(List.of(SUCCEEDED, SUCCEEDED), "RUNNING", true)).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(StepStatus.of(List.of(SUCCEEDED, FAILED), "RUNNING", true)).isEqualTo(StepStatus.FAILED);
        assertThat(StepStatus.of(List.of(FAILED, CANCELLED), "CANCELLED", false)).isEqualTo(StepStatus.CANCELLED);
    }
}
