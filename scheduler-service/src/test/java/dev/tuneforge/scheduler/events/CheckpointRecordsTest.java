package dev.tuneforge.scheduler.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCheckpoint;
import dev.tuneforge.common.events.JobEvaluated;
import dev.tuneforge.common.events.JobEventData;
import dev.tuneforge.common.events.JobSamples;
import dev.tuneforge.common.events.TypedEvent;
import dev.tuneforge.common.jobs.JobStatus;
import dev.tuneforge.infra.test.KafkaResource;
import dev.tuneforge.infra.test.PostgresResource;
import dev.tuneforge.scheduler.events.EventProcessor.Outcome;
import dev.tuneforge.scheduler.support.TestJobs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** job.checkpoint / job.samples / job.evaluated become rows of {@code checkpoints}, through the real processor and database. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class CheckpointRecordsTest {
    @Inject
    DataSource dataSource;

    @Inject
    EventProcessor processor;

    @Inject
    EventCodec codec;

    private TestJobs jobs;

    @BeforeEach
    void connect() {
        jobs = new TestJobs(dataSource);
    }

    private Outcome process(EventType type, JobEventData data, UUID eventId) {
        return processor.process(new TypedEvent<>(codec.wrap(type, "test", data), type, data), eventId);
    }

    private Outcome process(EventType type, JobEventData data) {
        return process(type, data, UUID.randomUUID());
    }

    @Test
    void aCheckpointGetsItsRowWithSamplesAndScores() {
        UUID id = jobs.insert(JobStatus.RUNNING, 1);
        process(EventType.JOB_CHECKPOINT, new JobCheckpoint(id, 1, 10, "s3://tuneforge/ckpt-10/"));
        process(EventType.JOB_SAMPLES, new JobSamples(id, 1, 10, List.of("s3://tuneforge/s/0.png")));
        process(EventType.JOB_EVALUATED, new JobEvaluated(id, 1, 10, Map.of("clipScore", 0.3), "s3://tuneforge/m.json"));
        // Samples of a step with no checkpoint stay in the job's artifacts only.
        process(EventType.JOB_SAMPLES, new JobSamples(id, 1, 5, List.of("s3://tuneforge/s5/0.png")));

        List<Map<String, Object>> rows = jobs.checkpoints(id);
        assertThat(rows).hasSize(1);
        Map<String, Object> row = rows.get(0);
        assertThat(row.get("step")).isEqualTo(10);
        assertThat(row.get("location")).isEqualTo("s3://tuneforge/ckpt-10/");
        assertThat(jobs.json(row.get("samples")).get(0).asText()).isEqualTo("s3://tuneforge/s/0.png");
        assertThat(jobs.json(row.get("metrics")).get("clipScore").asDouble()).isEqualTo(0.3);
        assertThat(row.get("report_location")).isEqualTo("s3://tuneforge/m.json");
        assertThat(jobs.json(jobs.row(id).get("artifacts")).at("/samples/step-5/0").asText())
                .isEqualTo("s3://tuneforge/s5/0.png");
    }

    @Test
    void anEvaluateJobScoresTheCheckpointItsLoraNames() {
        UUID train = jobs.insert(JobStatus.RUNNING, 1);
        process(EventType.JOB_CHECKPOINT, new JobCheckpoint(train, 1, 40, "s3://tuneforge/ckpt-40/"));
        UUID evaluate = jobs.insertEvaluate(train, 40);
        process(EventType.JOB_EVALUATED, new JobEvaluated(evaluate, 1, 40, Map.of("faceDistance", 0.42), "s3://tuneforge/e.json"));

        Map<String, Object> row = jobs.checkpoints(train).get(0);
        assertThat(jobs.json(row.get("metrics")).get("faceDistance").asDouble()).isEqualTo(0.42);
        assertThat(row.get("report_location")).isEqualTo("s3://tuneforge/e.json");
        // The evaluate job keeps the scores on its own row too.
        assertThat(jobs.json(jobs.row(evaluate).get("progress")).at("/lastEvaluation/metrics/faceDistance").asDouble())
                .isEqualTo(0.42);
    }

    @Test
    void theSameCheckpointTwiceLeavesOneRow() {
        UUID id = jobs.insert(JobStatus.RUNNING, 1);
        UUID eventId = UUID.randomUUID();
        JobCheckpoint checkpoint = new JobCheckpoint(id, 1, 20, "s3://tuneforge/ckpt-20/");
        assertThat(process(EventType.JOB_CHECKPOINT, checkpoint, eventId)).isEqualTo(Outcome.APPLIED);
        assertThat(process(EventType.JOB_CHECKPOINT, checkpoint, eventId)).isEqualTo(Outcome.DUPLICATE);
        // A resumed attempt may announce the same step again under a new event id.
        assertThat(process(EventType.JOB_CHECKPOINT, checkpoint)).isEqualTo(Outcome.APPLIED);

        assertThat(jobs.checkpoints(id)).singleElement()
                .satisfies(row -> assertThat(row.get("location")).isEqualTo("s3://tuneforge/ckpt-20/"));
    }

    @Test
    void aStaleAttemptRecordsNoCheckpoint() {
        UUID id = jobs.insert(JobStatus.RUNNING, 2);
        assertThat(process(EventType.JOB_CHECKPOINT, new JobCheckpoint(id, 1, 30, "s3://tuneforge/zombie/")))
                .isEqualTo(Outcome.STALE);
        assertThat(jobs.checkpoints(id)).isEmpty();
    }
}
