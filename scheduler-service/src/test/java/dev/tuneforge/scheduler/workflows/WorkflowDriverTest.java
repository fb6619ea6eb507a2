package dev.tuneforge.scheduler.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.common.events.CloudEvent;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCheckpoint;
import dev.tuneforge.common.events.JobEvaluated;
import dev.tuneforge.common.events.JobFailed;
import dev.tuneforge.common.events.JobProgress;
import dev.tuneforge.common.events.JobStarted;
import dev.tuneforge.common.events.JobSucceeded;
import dev.tuneforge.common.jobs.SamplingSettings;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.common.workflows.SelectionPolicy;
import dev.tuneforge.common.workflows.TrainThenEvaluate;
import dev.tuneforge.common.workflows.WorkflowSpec;
import dev.tuneforge.common.storage.ObjectKeys;
import dev.tuneforge.infra.test.S3Resource;
import io.minio.GetObjectArgs;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import dev.tuneforge.scheduler.support.EventDrivenTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A train-then-evaluate workflow driven by job events published to the real embedded Kafka, asserted on the
 * database: one evaluate job per checkpoint, the ranking and best stored as the policy says, the final
 * generate on the best checkpoint, and the workflow's end.
 */
@QuarkusTest
@QuarkusTestResource(S3Resource.class)
class WorkflowDriverTest extends EventDrivenTest {
    private static final String TENANT = "local";

    private static WorkflowSpec trainThenEvaluate(SelectionPolicy policy, boolean finalGenerate) {
        return new TrainThenEvaluate(TrainSpec.lora("sd15", "portraits"), SamplingSettings.defaults(), policy,
                finalGenerate ? SamplingSettings.defaults() : null).expand();
    }

    /** Plays the worker of the train job: the checkpoint's files are in the store (manifest last), then announced. */
    private CloudEvent checkpoint(UUID train, int step) {
        put(ObjectKeys.checkpointPrefix(TENANT, train, step) + "lora.safetensors", "lora of step " + step);
        put(ObjectKeys.checkpointPrefix(TENANT, train, step) + "manifest.json", "{\"step\": " + step + "}");
        return announced(train, step);
    }

    private CloudEvent announced(UUID train, int step) {
        return events.send(EventType.JOB_CHECKPOINT, new JobCheckpoint(train, 1, step, location(train, step)));
    }

    private static String location(UUID train, int step) {
        return "s3://" + ObjectKeys.BUCKET + "/" + ObjectKeys.checkpointPrefix(TENANT, train, step);
    }

    private static void put(String key, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try {
            S3Resource.client().putObject(PutObjectArgs.builder().bucket(ObjectKeys.BUCKET).object(key)
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
        } catch (Exception e) {
            throw new IllegalStateException("cannot put " + key, e);
        }
    }

    private static String get(String key) throws Exception {
        try (InputStream in = S3Resource.client().getObject(GetObjectArgs.builder().bucket(ObjectKeys.BUCKET).object(key).build())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Plays the workflow's train job: checkpoints 10 and 20, then success; returns once both evaluate jobs exist. */
    private UUID trainedWithTwoCheckpoints(UUID workflow) {
        UUID train = jobs.insertTrainOf(workflow, TrainThenEvaluate.TRAIN);
        checkpoint(train, 10);
        checkpoint(train, 20);
        events.send(EventType.JOB_SUCCEEDED, new JobSucceeded(train, 1, Map.of()));
        await().atMost(PATIENCE).until(() -> evaluations(workflow).size() == 2 && "SUCCEEDED".equals(jobs.status(train)));
        return train;
    }

    /** The evaluate jobs of the workflow by the checkpoint step their LoRA names. */
    private Map<Integer, UUID> evaluations(UUID workflow) {
        Map<Integer, UUID> found = new HashMap<>();
        jobs.jobsOf(workflow, TrainThenEvaluate.EVALUATE).forEach(row -> found.put(
                jobs.json(row.get("spec")).at("/lora/step").asInt(), UUID.fromString((String) row.get("id"))));
        return found;
    }

    /** Plays the worker of an evaluate job that scores its checkpoint with {@code metrics}. */
    private void evaluated(UUID job, int step, Map<String, Double> metrics) {
        evaluated(job, 1, step, metrics);
    }

    private void evaluated(UUID job, int attempt, int step, Map<String, Double> metrics) {
        String report = "s3://tuneforge/eval-" + step + "-" + attempt + ".json";
        events.send(EventType.JOB_STARTED, new JobStarted(job, attempt, "worker-e", null));
        events.send(EventType.JOB_EVALUATED, new JobEvaluated(job, attempt, step, metrics, report));
        events.send(EventType.JOB_SUCCEEDED, new JobSucceeded(job, attempt, Map.of("report", report)));
    }

    private List<String> workflowAudit(UUID job) {
        return jobs.audit(job).stream().map(row -> (String) row.get("type"))
                .filter(type -> type.startsWith("dev.tuneforge.workflow.")).toList();
    }

    @Test
    void everyCheckpointGetsOneEvaluationThenTheBestByFaceDistanceRendersTheFinalSet() throws Exception {
        UUID workflow = jobs.insertWorkflow(trainThenEvaluate(SelectionPolicy.defaults(), true));
        UUID train = jobs.insertTrainOf(workflow, TrainThenEvaluate.TRAIN);

        CloudEvent at10 = checkpoint(train, 10);
        CloudEvent at20 = checkpoint(train, 20);
        checkpoint(train, 30);
        events.send(at20);               // redelivered: same event id
        checkpoint(train, 20);           // announced again by a resumed attempt: new event id
        // Events of one job are applied in order: once this one is, every checkpoint before it is too.
        events.send(EventType.JOB_PROGRESS, new JobProgress(train, 1, "worker-t", 31, 40, null, null, null, null, null, null));
        await().atMost(PATIENCE).until(() -> jobs.json(jobs.row(train).get("progress")).at("/step").asInt() == 31);

        Map<Integer, UUID> evaluations = evaluations(workflow);
        assertThat(evaluations).containsOnlyKeys(10, 20, 30);
        UUID first = evaluations.get(10);
        Map<String, Object> row = jobs.row(first);
        assertThat(row.get("status")).isEqualTo("QUEUED");
        assertThat(row.get("kind")).isEqualTo("evaluate");
        JsonNode spec = jobs.json(row.get("spec"));
        assertThat(spec.at("/lora/jobId").asText()).isEqualTo(train.toString());
        assertThat(spec.get("modelId").asText()).isEqualTo("sd15");
        assertThat(spec.get("datasetId").asText()).isEqualTo("portraits");
        assertThat(spec.at("/sampling/prompts")).hasSize(25);
        assertThat(jobs.outbox(first)).singleElement()
                .satisfies(command -> assertThat(command.get("topic")).isEqualTo("tuneforge.jobs.evaluate"));
        assertThat(jobs.audit(first)).singleElement().satisfies(entry -> {
            assertThat(entry.get("type")).isEqualTo("dev.tuneforge.job.requested");
            assertThat(entry.get("cause")).isEqualTo("event:" + at10.id());
        });

        evaluated(evaluations.get(10), 10, Map.of("faceDistance", 0.61, "faceless", 0.0, "images", 25.0));
        evaluated(evaluations.get(20), 20, Map.of("faceDistance", 0.42, "faceless", 2.0, "images", 25.0));
        evaluated(evaluations.get(30), 30, Map.of("faceless", 25.0, "images", 25.0));
        await().atMost(PATIENCE).until(() -> evaluations.values().stream().allMatch(id -> "SUCCEEDED".equals(jobs.status(id))));
        assertThat(jobs.workflow(workflow).get("ranking")).as("not ranked while training goes on").isNull();

        CloudEvent trained = events.send(EventType.JOB_SUCCEEDED, new JobSucceeded(train, 1, Map.of()));
        await().atMost(PATIENCE).until(() -> !jobs.jobsOf(workflow, TrainThenEvaluate.GENERATE).isEmpty());

        Map<String, Object> ranked = jobs.workflow(workflow);
        assertThat(ranked.get("status")).isEqualTo("RUNNING");
        assertThat(ranked.get("best_step")).isEqualTo(20);
        String best = ObjectKeys.workflowBestPrefix(TENANT, workflow);
        assertThat(ranked.get("best_location")).isEqualTo("s3://" + ObjectKeys.BUCKET + "/" + best);
        assertThat(get(best + "lora.safetensors")).as("the best checkpoint's LoRA, promoted").isEqualTo("lora of step 20");
        assertThat(get(best + "manifest.json")).isEqualTo("{\"step\": 20}");
        assertThat(jobs.json(jobs.row(train).get("artifacts")).get("best").asText()).isEqualTo(ranked.get("best_location"));
        JsonNode ranking = jobs.json(ranked.get("ranking"));
        assertThat(ranking.get("eligible")).extracting(r -> r.get("step").asInt()).containsExactly(20, 10);
        assertThat(ranking.at("/eligible/0/score").asDouble()).isEqualTo(0.42);
        assertThat(ranking.get("excluded")).singleElement().satisfies(e -> {
            assertThat(e.get("step").asInt()).isEqualTo(30);
            assertThat(e.get("reason").asText()).isEqualTo("ALL_FACELESS");
        });
        assertThat(workflowAudit(train)).containsExactly(WorkflowDriver.RANKED);
        assertThat(jobs.audit(train).get(jobs.audit(train).size() - 1).get("cause")).isEqualTo("event:" + trained.id());

        UUID generate = UUID.fromString((String) jobs.jobsOf(workflow, TrainThenEvaluate.GENERATE).get(0).get("id"));
        JsonNode generateSpec = jobs.json(jobs.row(generate).get("spec"));
        assertThat(generateSpec.at("/lora/jobId").asText()).isEqualTo(train.toString());
        assertThat(generateSpec.at("/lora/step").asInt()).isEqualTo(20);
        assertThat(jobs.outbox(generate)).singleElement()
                .satisfies(command -> assertThat(command.get("topic")).isEqualTo("tuneforge.jobs.generate"));

        events.send(EventType.JOB_STARTED, new JobStarted(generate, 1, "worker-g", null));
        events.send(EventType.JOB_SUCCEEDED, new JobSucceeded(generate, 1, Map.of("images", "s3://tuneforge/final/")));
        await().atMost(PATIENCE).until(() -> "SUCCEEDED".equals(jobs.workflow(workflow).get("status")));
        assertThat(workflowAudit(generate)).containsExactly(WorkflowDriver.SUCCEEDED);
        assertThat(evaluations(workflow)).as("no evaluation added later").hasSize(3);
    }

    @Test
    void aFailedEvaluationIsLeftOutAndTheBestClipScoreEndsAWorkflowWithoutFinalStep() {
        UUID workflow = jobs.insertWorkflow(trainThenEvaluate(new SelectionPolicy("clip_score", null, null), false));
        trainedWithTwoCheckpoints(workflow);

        Map<Integer, UUID> evaluations = evaluations(workflow);
        events.send(EventType.JOB_FAILED, new JobFailed(evaluations.get(10), 1, "CUDA out of memory", false));
        evaluated(evaluations.get(20), 20, Map.of("clipScore", 0.31, "faceless", 25.0, "images", 25.0));
        await().atMost(PATIENCE).until(() -> !"RUNNING".equals(jobs.workflow(workflow).get("status")));

        Map<String, Object> done = jobs.workflow(workflow);
        assertThat(done.get("status")).isEqualTo("SUCCEEDED");
        assertThat(done.get("best_step")).isEqualTo(20);
        JsonNode excluded = jobs.json(done.get("ranking")).get("excluded");
        assertThat(excluded).singleElement().satisfies(e -> {
            assertThat(e.get("reason").asText()).isEqualTo("EVALUATION_FAILED");
            assertThat(e.get("detail").asText()).isEqualTo("evaluation failed: CUDA out of memory");
        });
        assertThat(jobs.jobsOf(workflow, TrainThenEvaluate.GENERATE)).isEmpty();
    }

    @Test
    void noEligibleCheckpointFailsTheWorkflowWithTheReasonInsteadOfPickingOne() {
        UUID workflow = jobs.insertWorkflow(trainThenEvaluate(SelectionPolicy.defaults(), true));
        UUID train = jobs.insertTrainOf(workflow, TrainThenEvaluate.TRAIN);
        checkpoint(train, 10);
        await().atMost(PATIENCE).until(() -> evaluations(workflow).size() == 1);
        evaluated(evaluations(workflow).get(10), 10, Map.of("faceless", 25.0, "images", 25.0));
        events.send(EventType.JOB_SUCCEEDED, new JobSucceeded(train, 1, Map.of()));
        await().atMost(PATIENCE).until(() -> !"RUNNING".equals(jobs.workflow(workflow).get("status")));

        Map<String, Object> done = jobs.workflow(workflow);
        assertThat(done.get("status")).isEqualTo("FAILED");
        assertThat(done.get("failure_reason"))
                .isEqualTo("no checkpoint is eligible: step 10 has no face distance: all its images are faceless");
        assertThat(done.get("best_step")).isNull();
        assertThat(jobs.jobsOf(workflow, TrainThenEvaluate.GENERATE)).isEmpty();
    }

    @Test
    void anEvaluationThatFailsOnceIsRetriedAndTheWorkflowStillRanksItsCheckpoint() {
        UUID workflow = jobs.insertWorkflow(trainThenEvaluate(SelectionPolicy.defaults(), false));
        trainedWithTwoCheckpoints(workflow);
        Map<Integer, UUID> evaluations = evaluations(workflow);
        UUID flaky = evaluations.get(20);

        events.send(EventType.JOB_STARTED, new JobStarted(flaky, 1, "worker-e", null));
        events.send(EventType.JOB_FAILED, new JobFailed(flaky, 1, "object store timed out after 3 tries", true));
        await().atMost(PATIENCE).until(() -> "QUEUED".equals(jobs.status(flaky)) && Integer.valueOf(2).equals(jobs.row(flaky).get("attempt")));
        assertThat(jobs.outbox(flaky)).as("a second command for the second attempt").hasSize(2);
        assertThat(jobs.workflow(workflow).get("status")).as("a retryable failure does not end the wait").isEqualTo("RUNNING");

        evaluated(evaluations.get(10), 10, Map.of("faceDistance", 0.6, "faceless", 0.0, "images", 25.0));
        evaluated(flaky, 2, 20, Map.of("faceDistance", 0.4, "faceless", 0.0, "images", 25.0));
        await().atMost(PATIENCE).until(() -> !"RUNNING".equals(jobs.workflow(workflow).get("status")));

        Map<String, Object> done = jobs.workflow(workflow);
        assertThat(done.get("status")).isEqualTo("SUCCEEDED");
        assertThat(done.get("best_step")).as("the retried evaluation's checkpoint, scored on its second attempt").isEqualTo(20);
        assertThat(jobs.json(done.get("ranking")).get("excluded")).isEmpty();
        assertThat(evaluations(workflow)).as("the retry is the same job, not a new one").hasSize(2);
    }

    @Test
    void aJobStillRunningForAnEndedWorkflowIsAskedToStopOnce() {
        UUID workflow = jobs.insertWorkflow(trainThenEvaluate(SelectionPolicy.defaults(), false));
        UUID train = jobs.insertTrainOf(workflow, TrainThenEvaluate.TRAIN);
        // Ended while the train job's row was busy: the timeout's cancel passed this job by.
        jobs.execute("UPDATE workflows SET status = 'FAILED', failure_reason = 'timed out after PT24H' WHERE id = ?", workflow);
        CloudEvent first = events.send(EventType.JOB_PROGRESS, JobProgress.heartbeat(train, 1, "worker-t", "step 5"));
        CloudEvent second = events.send(EventType.JOB_PROGRESS, JobProgress.heartbeat(train, 1, "worker-t", "step 6"));
        await().atMost(PATIENCE).until(() -> jobs.audit(train).stream().anyMatch(r -> second.id().equals(r.get("event_id"))));

        assertThat(jobs.audit(train)).filteredOn(r -> "dev.tuneforge.job.cancel-requested".equals(r.get("type")))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("cause")).isEqualTo("event:" + first.id());
                    assertThat(r.get("attempt")).isEqualTo(1);
                });
        assertThat(jobs.outbox(train)).singleElement()
                .satisfies(command -> assertThat(command.get("topic")).isEqualTo("tuneforge.job-control"));
        assertThat(jobs.status(train)).as("its worker reports the stop").isEqualTo("RUNNING");
    }

    @Test
    void aBestCheckpointGoneFromTheStoreFailsTheWorkflowInsteadOfPromotingNothing() {
        UUID workflow = jobs.insertWorkflow(trainThenEvaluate(SelectionPolicy.defaults(), true));
        UUID train = jobs.insertTrainOf(workflow, TrainThenEvaluate.TRAIN);
        announced(train, 10);
        await().atMost(PATIENCE).until(() -> evaluations(workflow).size() == 1);
        evaluated(evaluations(workflow).get(10), 10, Map.of("faceDistance", 0.5, "faceless", 0.0, "images", 25.0));
        events.send(EventType.JOB_SUCCEEDED, new JobSucceeded(train, 1, Map.of()));
        await().atMost(PATIENCE).until(() -> !"RUNNING".equals(jobs.workflow(workflow).get("status")));

        Map<String, Object> done = jobs.workflow(workflow);
        assertThat(done.get("status")).isEqualTo("FAILED");
        assertThat(done.get("failure_reason"))
                .isEqualTo("the best checkpoint, step 10, is no longer complete in the object store");
        assertThat(done.get("best_step")).isEqualTo(10);
        assertThat(done.get("best_location")).isNull();
        assertThat(jobs.jobsOf(workflow, TrainThenEvaluate.GENERATE)).isEmpty();
    }

    @Test
    void aFailedTrainJobFailsTheWorkflow() {
        UUID workflow = jobs.insertWorkflow(trainThenEvaluate(SelectionPolicy.defaults(), false));
        UUID train = jobs.insertTrainOf(workflow, TrainThenEvaluate.TRAIN);
        CloudEvent failed = events.send(EventType.JOB_FAILED, new JobFailed(train, 1, "dataset has no images", false));
        await().atMost(PATIENCE).until(() -> !"RUNNING".equals(jobs.workflow(workflow).get("status")));

        Map<String, Object> done = jobs.workflow(workflow);
        assertThat(done.get("status")).isEqualTo("FAILED");
        assertThat(done.get("failure_reason")).isEqualTo("train step 'train' failed: dataset has no images");
        assertThat(workflowAudit(train)).containsExactly(WorkflowDriver.FAILED);
        assertThat(jobs.audit(train).get(jobs.audit(train).size() - 1).get("cause")).isEqualTo("event:" + failed.id());
    }

    @Test
    void anEvaluationThatRanOutOfHeartbeatsIsLeftOutAndTheWorkflowStillEnds() {
        UUID workflow = jobs.insertWorkflow(trainThenEvaluate(SelectionPolicy.defaults(), false));
        trainedWithTwoCheckpoints(workflow);
        Map<Integer, UUID> evaluations = evaluations(workflow);
        evaluated(evaluations.get(20), 20, Map.of("faceDistance", 0.5, "faceless", 0.0, "images", 25.0));
        await().atMost(PATIENCE).until(() -> "SUCCEEDED".equals(jobs.status(evaluations.get(20))));
        assertThat(jobs.workflow(workflow).get("status")).isEqualTo("RUNNING");

        jobs.silentOnLastAttempt(evaluations.get(10));
        await().atMost(PATIENCE).until(() -> !"RUNNING".equals(jobs.workflow(workflow).get("status")));

        Map<String, Object> done = jobs.workflow(workflow);
        assertThat(done.get("status")).isEqualTo("SUCCEEDED");
        assertThat(done.get("best_step")).isEqualTo(20);
        assertThat(jobs.json(done.get("ranking")).get("excluded")).singleElement().satisfies(e -> assertThat(
                e.get("detail").asText()).isEqualTo("evaluation failed: no heartbeat for 30s after 3 attempts"));
        assertThat(jobs.audit(evaluations.get(10)).get(jobs.audit(evaluations.get(10)).size() - 1).get("cause"))
                .isEqualTo("timer:heartbeat-timeout");
    }
}
