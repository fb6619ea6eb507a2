package dev.tuneforge.api.workflows;

import static dev.tuneforge.common.jobs.JobStatus.CANCELLED;
import static dev.tuneforge.common.jobs.JobStatus.FAILED;
import static dev.tuneforge.common.jobs.JobStatus.QUEUED;
import static dev.tuneforge.common.jobs.JobStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepStatusTest {
    @Test
    void aStepWithoutJobsWaitsUnlessItsWorkflowWasCancelled() {
        assertThat(StepStatus.of(List.of(), "PENDING")).isEqualTo(StepStatus.PENDING);
        assertThat(StepStatus.of(List.of(), "CANCELLED")).isEqualTo(StepStatus.CANCELLED);
    }

    @Test
    void aStepRunsWhileAnyOfItsJobsRunsThenTakesTheWorstOutcome() {
        assertThat(StepStatus.of(List.of(SUCCEEDED, QUEUED), "RUNNING")).isEqualTo(StepStatus.RUNNING);
        assertThat(StepStatus.of(List.of(SUCCEEDED, SUCCEEDED), "RUNNING")).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(StepStatus.of(List.of(SUCCEEDED, FAILED), "RUNNING")).isEqualTo(StepStatus.FAILED);
        assertThat(StepStatus.of(List.of(FAILED, CANCELLED), "CANCELLED")).isEqualTo(StepStatus.CANCELLED);
    }
}
