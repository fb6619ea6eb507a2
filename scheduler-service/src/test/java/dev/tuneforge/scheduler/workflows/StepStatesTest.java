package dev.tuneforge.scheduler.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.common.jobs.JobStatus;
import dev.tuneforge.common.jobs.SamplingSettings;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.common.workflows.SelectionPolicy;
import dev.tuneforge.common.workflows.StepStatus;
import dev.tuneforge.common.workflows.TrainThenEvaluate;
import dev.tuneforge.common.workflows.WorkflowSpec;
import dev.tuneforge.scheduler.workflows.WorkflowStore.StepJob;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StepStatesTest {
    private static final WorkflowSpec WORKFLOW = new TrainThenEvaluate(TrainSpec.lora("sd15", "portraits"),
            SamplingSettings.defaults(), SelectionPolicy.defaults(), SamplingSettings.defaults()).expand();

    private static StepJob job(String step, JobStatus status) {
        return new StepJob(UUID.randomUUID(), step, status, null, null);
    }

    @Test
    void aStepWithoutJobsIsPendingAndOneWithARunningJobIsRunning() {
        assertThat(StepStates.of(WORKFLOW, List.of(job("train", JobStatus.QUEUED)))).containsExactlyInAnyOrderEntriesOf(
                Map.of("train", StepStatus.RUNNING, "evaluate", StepStatus.PENDING, "generate", StepStatus.PENDING));
    }

    @Test
    void perCheckpointJobsThatEndedStillRunWhileTheirTrainStepCanAnnounceMore() {
        Map<String, StepStatus> states = StepStates.of(WORKFLOW, List.of(job("train", JobStatus.RUNNING),
                job("evaluate", JobStatus.SUCCEEDED)));
        assertThat(states.get("evaluate")).isEqualTo(StepStatus.RUNNING);
    }

    @Test
    void anEndedStepTakesTheWorstOutcomeOfItsJobs() {
        Map<String, StepStatus> states = StepStates.of(WORKFLOW, List.of(job("train", JobStatus.SUCCEEDED),
                job("evaluate", JobStatus.SUCCEEDED), job("evaluate", JobStatus.FAILED), job("generate", JobStatus.CANCELLED)));
        assertThat(states).containsEntry("train", StepStatus.SUCCEEDED).containsEntry("evaluate", StepStatus.FAILED)
                .containsEntry("generate", StepStatus.CANCELLED);
    }
}
