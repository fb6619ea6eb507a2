package dev.tuneforge.scheduler.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.common.jobs.JobStatus;
import dev.tuneforge.common.jobs.SamplingSettings;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.common.storage.ObjectKeys;
import dev.tuneforge.common.workflows.SelectionPolicy;
import dev.tuneforge.common.workflows.TrainThenEvaluate;
import dev.tuneforge.infra.test.KafkaResource;
import dev.tuneforge.infra.test.PostgresResource;
import dev.tuneforge.infra.test.S3Resource;
import dev.tuneforge.scheduler.jobs.Sql;
import dev.tuneforge.scheduler.support.TestJobs;
import io.minio.ListObjectsArgs;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retention timer against the real embedded PostgreSQL and S3 (%test: checkpoints older than an hour,
 * a sweep every second): what it deletes, what it must keep, and that the audit log only grows.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class CheckpointRetentionTest {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String TENANT = "local";

    @Inject
    DataSource dataSource;

    private TestJobs jobs;

    @BeforeEach
    void connect() {
        jobs = new TestJobs(dataSource);
    }

    @Test
    void oldCheckpointsOfAnEndedJobGoWithTheirSamplesAndEvaluationImagesWhileTheRowAndAuditStay() {
        UUID train = jobs.insert(JobStatus.SUCCEEDED, 1);
        UUID evaluation = jobs.insertEvaluate(train, 10);
        put(ObjectKeys.sample(TENANT, train, 10, 0));
        put(ObjectKeys.sample(TENANT, evaluation, 10, 0));
        put(ObjectKeys.evalMetrics(TENANT, evaluation, 10));
        put(ObjectKeys.finalPrefix(TENANT, train) + "pytorch_lora_weights.safetensors");
        // The row last: the timer runs every second and may pick it up at once.
        checkpoint(train, 10, "2 hours");

        await().atMost(PATIENCE).until(() -> purgedAt(train, 10) != null);
        assertThat(keys(ObjectKeys.checkpointPrefix(TENANT, train, 10))).isEmpty();
        assertThat(keys(ObjectKeys.samplesPrefix(TENANT, train, 10))).isEmpty();
        assertThat(keys(ObjectKeys.samplesPrefix(TENANT, evaluation, 10))).isEmpty();
        assertThat(keys(ObjectKeys.evalMetrics(TENANT, evaluation, 10))).as("the evaluation report is the record").hasSize(1);
        assertThat(keys(ObjectKeys.finalPrefix(TENANT, train))).as("the final LoRA is no checkpoint").hasSize(1);
        assertThat(metrics(train, 10)).as("the row keeps its metrics").contains("faceDistance");
        assertThat(jobs.audit(train)).singleElement().satisfies(entry -> {
            assertThat(entry.get("type")).isEqualTo(CheckpointRetention.PURGED);
            assertThat(entry.get("cause")).isEqualTo("timer:retention");
        });
    }

    @Test
    void theBestOfAWorkflowARunningWorkflowAYoungCheckpointAndARunningJobAreKept() {
        UUID finished = workflow("SUCCEEDED", 20);
        UUID finishedTrain = trainOf(finished, JobStatus.SUCCEEDED);
        checkpoint(finishedTrain, 10, "2 hours");
        checkpoint(finishedTrain, 20, "2 hours");
        UUID running = workflow("RUNNING", null);
        UUID runningTrain = trainOf(running, JobStatus.SUCCEEDED);
        checkpoint(runningTrain, 10, "2 hours");
        UUID young = jobs.insert(JobStatus.SUCCEEDED, 1);
        checkpoint(young, 10, "1 minute");
        UUID stillTraining = jobs.insert(JobStatus.RUNNING, 1);
        checkpoint(stillTraining, 10, "2 hours");

        await().atMost(PATIENCE).until(() -> purgedAt(finishedTrain, 10) != null);
        assertThat(keys(ObjectKeys.checkpointPrefix(TENANT, finishedTrain, 10))).isEmpty();
        assertThat(keys(ObjectKeys.checkpointPrefix(TENANT, finishedTrain, 20))).as("the workflow's best").hasSize(2);
        assertThat(keys(ObjectKeys.checkpointPrefix(TENANT, runningTrain, 10))).as("its workflow still runs").hasSize(2);
        assertThat(keys(ObjectKeys.checkpointPrefix(TENANT, young, 10))).as("younger than the age").hasSize(2);
        assertThat(keys(ObjectKeys.checkpointPrefix(TENANT, stillTraining, 10))).as("its job still runs").hasSize(2);
        List.of(finishedTrain + ":20", runningTrain + ":10", young + ":10", stillTraining + ":10").forEach(kept -> {
            String[] parts = kept.split(":");
            assertThat(purgedAt(UUID.fromString(parts[0]), Integer.parseInt(parts[1]))).as(kept).isNull();
        });
    }

    private UUID workflow(String status, Integer bestStep) {
        UUID id = jobs.insertWorkflow(new TrainThenEvaluate(TrainSpec.lora("sd15", "portraits"), SamplingSettings.defaults(),
                SelectionPolicy.defaults(), null).expand());
        Sql.update(dataSource, "UPDATE workflows SET status = ?, best_step = ? WHERE id = ?", status, bestStep, id);
        return id;
    }

    private UUID trainOf(UUID workflow, JobStatus status) {
        UUID train = jobs.insertTrainOf(workflow, TrainThenEvaluate.TRAIN);
        Sql.update(dataSource, "UPDATE jobs SET status = ? WHERE id = ?", status.name(), train);
        return train;
    }

    /** A complete checkpoint in the store and then its row, created {@code age} ago. */
    private void checkpoint(UUID job, int step, String age) {
        String prefix = ObjectKeys.checkpointPrefix(TENANT, job, step);
        put(prefix + "lora.safetensors");
        put(prefix + "manifest.json");
        Sql.update(dataSource, "INSERT INTO checkpoints (job_id, step, location, created_at, metrics)"
                + " VALUES (?, ?, ?, now() - ?::interval, '{\"faceDistance\": 0.5}'::jsonb)",
                job, step, "s3://" + ObjectKeys.BUCKET + "/" + prefix, age);
    }

    private Object purgedAt(UUID job, int step) {
        return Sql.query(dataSource, "SELECT purged_at FROM checkpoints WHERE job_id = ? AND step = ?",
                row -> row.getObject("purged_at"), job, step).stream().filter(v -> v != null).findFirst().orElse(null);
    }

    private String metrics(UUID job, int step) {
        return Sql.query(dataSource, "SELECT metrics::text AS m FROM checkpoints WHERE job_id = ? AND step = ?",
                row -> row.getString("m"), job, step).get(0);
    }

    private static void put(String key) {
        byte[] bytes = key.getBytes();
        try {
            S3Resource.client().putObject(PutObjectArgs.builder().bucket(ObjectKeys.BUCKET).object(key)
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
        } catch (Exception e) {
            throw new IllegalStateException("cannot put " + key, e);
        }
    }

    private static List<String> keys(String prefix) {
        List<String> found = new ArrayList<>();
        try {
            for (Result<Item> item : S3Resource.client().listObjects(ListObjectsArgs.builder().bucket(ObjectKeys.BUCKET)
                    .prefix(prefix).recursive(true).build())) {
                found.add(item.get().objectName());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot list " + prefix, e);
        }
        return found;
    }
}
