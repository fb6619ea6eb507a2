package dev.tuneforge.scheduler.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.common.events.CloudEvent;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobFailed;
import dev.tuneforge.common.events.JobStarted;
import dev.tuneforge.common.events.JobSucceeded;
import dev.tuneforge.common.jobs.GenerateSpec;
import dev.tuneforge.common.jobs.SamplingSettings;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.common.workflows.StepSpec;
import dev.tuneforge.common.workflows.WorkflowSpec;
import dev.tuneforge.scheduler.support.EventDrivenTest;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A general-form workflow of plain steps (train, then generate dependsOn train) driven by job events on the real
 * embedded Kafka: the dependent step starts once, with the train step's final LoRA, when its dependency succeeded;
 * the steps' recorded states follow their jobs; the workflow ends with its last step.
 */
@QuarkusTest
class GeneralWorkflowTest extends EventDrivenTest {
    private static WorkflowSpec trainThenGenerate() {
        return new WorkflowSpec(null, List.of(
                new StepSpec("train", TrainSpec.lora("sd15", "portraits"), List.of(), null, null),
                new StepSpec("generate", new GenerateSpec("sd15", null, SamplingSettings.defaults()), List.of("train"),
                        null, null)), null);
    }

    private UUID start() {
        WorkflowSpec spec = trainThenGenerate();
        UUID workflow = jobs.insertWorkflow(spec);
        jobs.insertSteps(workflow, spec);
        return workflow;
    }

    @Test
    void theDependentStepStartsOnceWithTheTrainedLoraAndTheWorkflowSucceedsWithIt() {
        UUID workflow = start();
        UUID train = jobs.insertTrainOf(workflow, "train");
        CloudEvent trained = events.send(EventType.JOB_SUCCEEDED, new JobSucceeded(train, 1, Map.of()));
        events.send(trained);                                                     // redelivered
        events.send(EventType.JOB_SUCCEEDED, new JobSucceeded(train, 1, Map.of())); // reported twice by the worker
        await().atMost(PATIENCE).until(() -> !jobs.jobsOf(workflow, "generate").isEmpty()
                && jobs.audit(train).size() == 2);

        assertThat(jobs.jobsOf(workflow, "generate")).as("enqueued once").hasSize(1);
        UUID generate = UUID.fromString((String) jobs.jobsOf(workflow, "generate").get(0).get("id"));
        Map<String, Object> row = jobs.row(generate);
        assertThat(row.get("status")).isEqualTo("QUEUED");
        JsonNode lora = jobs.json(row.get("spec")).get("lora");
        assertThat(lora.get("jobId").asText()).isEqualTo(train.toString());
        assertThat(lora.get("step").isNull()).as("the final LoRA").isTrue();
        assertThat(jobs.outbox(generate)).singleElement()
                .satisfies(command -> assertThat(command.get("topic")).isEqualTo("tuneforge.jobs.generate"));
        assertThat(jobs.audit(generate)).singleElement().satisfies(entry -> {
            assertThat(entry.get("type")).isEqualTo("dev.tuneforge.job.requested");
            assertThat(entry.get("cause")).isEqualTo("event:" + trained.id());
            assertThat(entry.get("workflow_id")).isEqualTo(workflow.toString());
        });
        assertThat(jobs.stepStatuses(workflow)).containsExactlyInAnyOrderEntriesOf(
                Map.of("train", "SUCCEEDED", "generate", "RUNNING"));
        assertThat(jobs.workflow(workflow).get("status")).isEqualTo("RUNNING");

        events.send(EventType.JOB_STARTED, new JobStarted(generate, 1, "worker-g", null));
        CloudEvent rendered = events.send(EventType.JOB_SUCCEEDED, new JobSucceeded(generate, 1, Map.of()));
        await().atMost(PATIENCE).until(() -> "SUCCEEDED".equals(jobs.workflow(workflow).get("status")));

        assertThat(jobs.stepStatuses(workflow)).containsExactlyInAnyOrderEntriesOf(
                Map.of("train", "SUCCEEDED", "generate", "SUCCEEDED"));
        Map<String, Object> last = jobs.workflowAudit(workflow).get(jobs.workflowAudit(workflow).size() - 1);
        assertThat(last.get("type")).isEqualTo(WorkflowDriver.SUCCEEDED);
        assertThat(last.get("job_id")).isEqualTo(generate.toString());
        assertThat(last.get("cause")).isEqualTo("event:" + rendered.id());
        assertThat(jobs.workflowAudit(workflow)).extracting(r -> r.get("job_id"))
                .as("every row of the workflow's jobs names it").contains(train.toString(), generate.toString());
    }

    @Test
    void aFailedStepFailsTheWorkflowAndItsDependentNeverStarts() {
        UUID workflow = start();
        UUID train = jobs.insertTrainOf(workflow, "train");
        events.send(EventType.JOB_FAILED, new JobFailed(train, 1, "dataset has no images", false));
        await().atMost(PATIENCE).until(() -> !"RUNNING".equals(jobs.workflow(workflow).get("status")));

        Map<String, Object> done = jobs.workflow(workflow);
        assertThat(done.get("status")).isEqualTo("FAILED");
        assertThat(done.get("failure_reason")).isEqualTo("train step 'train' failed: dataset has no images");
        assertThat(jobs.jobsOf(workflow, "generate")).isEmpty();
        assertThat(jobs.stepStatuses(workflow)).containsExactlyInAnyOrderEntriesOf(
                Map.of("train", "FAILED", "generate", "PENDING"));
    }
}
