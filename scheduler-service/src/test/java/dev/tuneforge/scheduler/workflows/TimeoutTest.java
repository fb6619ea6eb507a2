package dev.tuneforge.scheduler.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.common.jobs.SamplingSettings;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.common.workflows.SelectionPolicy;
import dev.tuneforge.common.workflows.TrainThenEvaluate;
import dev.tuneforge.common.workflows.WorkflowSpec;
import dev.tuneforge.infra.test.KafkaResource;
import dev.tuneforge.infra.test.PostgresResource;
import dev.tuneforge.scheduler.support.TestJobs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Quartz timeout sweep with the default limits (workflow 24h, step 6h), on rows made old on purpose: a workflow
 * past its time fails and its jobs are cancelled the API's way; a step past its time loses its attempt to the retry
 * path and, on its last attempt, fails its workflow.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class TimeoutTest {
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @Inject
    DataSource dataSource;

    private TestJobs jobs;

    @BeforeEach
    void connect() {
        jobs = new TestJobs(dataSource);
    }

    private UUID workflow() {
        WorkflowSpec spec = new TrainThenEvaluate(TrainSpec.lora("sd15", "portraits"), SamplingSettings.defaults(),
                SelectionPolicy.defaults(), null).expand();
        UUID workflow = jobs.insertWorkflow(spec);
        jobs.insertSteps(workflow, spec);
        return workflow;
    }

    @Test
    void aWorkflowPastItsTimeFailsAndItsJobsAreCancelled() {
        UUID workflow = workflow();
        UUID train = jobs.insertTrainOf(workflow, TrainThenEvaluate.TRAIN);
        jobs.execute("UPDATE jobs SET worker_id = 'worker-t' WHERE id = ?", train);
        UUID evaluation = jobs.insertEvaluate(train, 10);
        jobs.execute("UPDATE jobs SET status = 'QUEUED', workflow_id = ?, workflow_step = ? WHERE id = ?", workflow,
                TrainThenEvaluate.EVALUATE, evaluation);
        jobs.execute("UPDATE workflows SET created_at = now() - interval '25 hours' WHERE id = ?", workflow);
        await().atMost(PATIENCE).until(() -> !"RUNNING".equals(jobs.workflow(workflow).get("status")));

        Map<String, Object> done = jobs.workflow(workflow);
        assertThat(done.get("status")).isEqualTo("FAILED");
        assertThat(done.get("failure_reason")).isEqualTo("timed out after PT24H");
        assertThat(jobs.status(evaluation)).as("no worker had it").isEqualTo("CANCELLED");
        assertThat(jobs.row(evaluation).get("failure_reason")).isEqualTo("workflow timed out after PT24H");
        assertThat(jobs.status(train)).as("its worker is asked to stop").isEqualTo("RUNNING");
        for (UUID job : List.of(train, evaluation)) {
            assertThat(jobs.outbox(job)).singleElement()
                    .satisfies(request -> assertThat(request.get("topic")).isEqualTo("tuneforge.job-control"));
        }
        assertThat(jobs.auditTypes(evaluation)).containsExactly("cancel-requested", "cancelled");
        Map<String, Object> timedOut = jobs.workflowAudit(workflow).stream()
                .filter(r -> WorkflowTimeouts.TIMED_OUT.equals(r.get("type"))).findFirst().orElseThrow();
        assertThat(timedOut.get("job_id")).isNull();
        assertThat(timedOut.get("cause")).isEqualTo("timer:workflow-timeout");
        assertThat(jobs.json(timedOut.get("payload")).get("reason").asText()).isEqualTo("timed out after PT24H");
    }

    @Test
    void aStepPastItsTimeIsRetriedAndOnItsLastAttemptFailsTheWorkflow() {
        UUID retried = workflow();
        UUID slow = jobs.insertTrainOf(retried, TrainThenEvaluate.TRAIN);
        UUID failed = workflow();
        UUID last = jobs.insertTrainOf(failed, TrainThenEvaluate.TRAIN);
        jobs.execute("UPDATE jobs SET attempt = max_attempts WHERE id = ?", last);
        // Heartbeats keep coming: only the step limit can see these jobs are stuck.
        jobs.execute("UPDATE jobs SET started_at = now() - interval '7 hours', last_heartbeat_at = now() WHERE id IN (?, ?)",
                slow, last);
        await().atMost(PATIENCE).until(() -> !"RUNNING".equals(jobs.workflow(failed).get("status"))
                && jobs.auditTypes(slow).contains("retry-scheduled"));

        Map<String, Object> retry = jobs.audit(slow).stream()
                .filter(r -> "dev.tuneforge.job.retry-scheduled".equals(r.get("type"))).findFirst().orElseThrow();
        assertThat(retry.get("cause")).isEqualTo("timer:step-timeout");
        assertThat(jobs.json(retry.get("payload")).get("reason").asText()).isEqualTo("step timed out after PT6H");
        assertThat(jobs.workflow(retried).get("status")).isEqualTo("RUNNING");
        assertThat(jobs.outbox(slow).get(0).get("topic")).as("the stuck attempt's worker is asked to stop")
                .isEqualTo("tuneforge.job-control");
        assertThat(jobs.audit(slow)).filteredOn(r -> "dev.tuneforge.job.cancel-requested".equals(r.get("type")))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("attempt")).as("the timed-out attempt only, not the next").isEqualTo(1);
                    assertThat(r.get("cause")).isEqualTo("timer:step-timeout");
                });

        assertThat(jobs.status(last)).isEqualTo("FAILED");
        Map<String, Object> done = jobs.workflow(failed);
        assertThat(done.get("status")).isEqualTo("FAILED");
        assertThat(done.get("failure_reason")).isEqualTo("train step 'train' failed: step timed out after PT6H after 3 attempts");
    }
}
