package dev.tuneforge.scheduler.workflows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.events.EventType;
import dev.tuneforge.common.events.JobCheckpoint;
import dev.tuneforge.common.events.JobEventData;
import dev.tuneforge.common.jobs.EvaluateSpec;
import dev.tuneforge.common.jobs.GenerateSpec;
import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.common.jobs.JobSpec;
import dev.tuneforge.common.jobs.JobStatus;
import dev.tuneforge.common.jobs.LoraRef;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.common.workflows.StepSpec;
import dev.tuneforge.common.workflows.StepStatus;
import dev.tuneforge.common.workflows.WorkflowStatus;
import dev.tuneforge.scheduler.config.SchedulerConfig;
import dev.tuneforge.scheduler.jobs.AuditEntry;
import dev.tuneforge.scheduler.jobs.AuditLog;
import dev.tuneforge.scheduler.jobs.Commands;
import dev.tuneforge.scheduler.jobs.Job;
import dev.tuneforge.scheduler.jobs.JobStore;
import dev.tuneforge.scheduler.storage.BestCheckpointPromoter;
import dev.tuneforge.scheduler.workflows.WorkflowStore.Checkpoint;
import dev.tuneforge.scheduler.workflows.WorkflowStore.StepJob;
import dev.tuneforge.scheduler.workflows.WorkflowStore.Workflow;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Moves a workflow on when one of its jobs reports, in the transaction of that job's event:
 * <ul>
 * <li>a checkpoint of a train step enqueues one job per {@code forEach: checkpoints of <step>} step with
 * that checkpoint as its LoRA (at most one per (step, checkpoint): a checkpoint announced again, by a
 * resumed attempt, enqueues nothing);</li>
 * <li>when the train job has succeeded and every per-checkpoint evaluate job has ended, the checkpoints are
 * ranked ({@link CheckpointRanker}), the best is promoted (copied under the workflow's {@code best/} prefix,
 * {@link BestCheckpointPromoter}) and the ranking and best are stored; then the {@code bestOf} step (the
 * final generate) is enqueued with the best checkpoint, or the workflow succeeds when it has none;</li>
 * <li>a plain step (no forEach, no bestOf) starts once every step in its dependsOn has SUCCEEDED; a workflow
 * made only of such steps SUCCEEDS when all of them have;</li>
 * <li>it fails, with the reason, when a plain step's job or the final job fails or no checkpoint is eligible.</li>
 * </ul>
 * {@code workflow_steps.status} follows the steps' jobs ({@link StepStates}). New jobs go through {@link Commands}
 * (outbox + audit); the workflow's own decisions are audited with the workflow and the job whose event (or timer)
 * caused them ({@code dev.tuneforge.workflow.*}, {@code cause = event:<id>} or {@code timer:…}). Lock order: the
 * job's row (held by the caller), then the workflow's; other jobs are only read.
 */
@ApplicationScoped
public class WorkflowDriver {
    static final String RANKED = "dev.tuneforge.workflow.ranked";
    static final String SUCCEEDED = "dev.tuneforge.workflow.succeeded";
    static final String FAILED = "dev.tuneforge.workflow.failed";

    private static final Logger LOG = Logger.getLogger(WorkflowDriver.class);

    private final WorkflowStore workflows;
    private final JobStore jobs;
    private final Commands commands;
    private final AuditLog audit;
    private final ObjectMapper mapper;
    private final SchedulerConfig config;
    private final BestCheckpointPromoter promoter;

    public WorkflowDriver(WorkflowStore workflows, JobStore jobs, Commands commands, AuditLog audit, EventCodec codec,
            SchedulerConfig config, BestCheckpointPromoter promoter) {
        this.workflows = workflows;
        this.jobs = jobs;
        this.commands = commands;
        this.audit = audit;
        this.mapper = codec.mapper();
        this.config = config;
        this.promoter = promoter;
    }

    /** Reacts to {@code data}, an event of {@code job}'s current attempt already applied (and saved) to the job. */
    public void onEvent(Job job, JobEventData data, UUID eventId, Instant now) {
        Integer checkpoint = data instanceof JobCheckpoint c && !job.status().isTerminal() ? c.step() : null;
        drive(job, checkpoint, "event:" + eventId, now);
    }

    /** Reacts to a timer's move of {@code job} (e.g. failed for lack of heartbeats), already saved. */
    public void onTimer(Job job, String cause, Instant now) {
        drive(job, null, cause, now);
    }

    private void drive(Job job, Integer checkpoint, String cause, Instant now) {
        if (job.workflowId() == null) {
            return;
        }
        if (checkpoint == null && !job.status().isTerminal()) {
            stopIfWorkflowEnded(job, cause, now);
            return;
        }
        Optional<Workflow> found = workflows.lock(job.workflowId());
        if (found.isEmpty() || found.get().status() != WorkflowStatus.RUNNING) {
            stopIfWorkflowEnded(job, cause, now);
            return;
        }
        Workflow workflow = found.get();
        if (checkpoint != null) {
            perCheckpointSteps(workflow, job.workflowStep())
                    .forEach(step -> enqueueForCheckpoint(workflow, step, job, checkpoint, cause, now));
        }
        if (job.status().isTerminal()) {
            settle(workflow, job, cause, now);
        }
        refreshSteps(workflow);
    }

    /**
     * A job still running for a workflow that has ended (timed out or failed while this job's row was busy, so
     * the cancel of the other jobs passed it by) is asked to stop, once per attempt: its work can no longer
     * change anything.
     */
    private void stopIfWorkflowEnded(Job job, String cause, Instant now) {
        if (job.status() != JobStatus.RUNNING) {
            return;
        }
        Optional<WorkflowStatus> status = workflows.status(job.workflowId());
        if (status.isPresent() && status.get() != WorkflowStatus.RUNNING
                && !audit.has(job.id(), job.attempt(), EventType.JOB_CANCEL_REQUESTED.type())) {
            commands.cancel(job, "workflow " + job.workflowId() + " ended " + status.get(), cause, now);
        }
    }

    /** Writes each step's state that its jobs (the ones just enqueued included) now give. */
    private void refreshSteps(Workflow workflow) {
        StepStates.of(workflow.spec(), workflows.jobs(workflow.id())).forEach((step, state) -> {
            if (state != StepStatus.PENDING) {
                workflows.stepState(workflow.id(), step, state);
            }
        });
    }

    private static List<StepSpec> perCheckpointSteps(Workflow workflow, String trainStep) {
        return workflow.spec().steps().stream().filter(s -> trainStep != null && trainStep.equals(s.forEachStep())).toList();
    }

    private void enqueueForCheckpoint(Workflow workflow, StepSpec step, Job train, int checkpoint, String cause, Instant now) {
        boolean exists = workflows.jobs(workflow.id()).stream()
                .anyMatch(j -> step.id().equals(j.step()) && Integer.valueOf(checkpoint).equals(j.checkpoint()));
        if (!exists) {
            enqueue(workflow, step, train, new LoraRef(train.id().toString(), checkpoint, null), cause, now);
        }
    }

    /**
     * Inserts and queues a job of {@code step}. It takes tenant, submitter and attempt budget from {@code sibling},
     * another job of the workflow: all of them carry the workflow's (the API set them on the first, this on the rest).
     */
    private void enqueue(Workflow workflow, StepSpec step, Job sibling, LoraRef lora, String why, Instant now) {
        JobSpec spec = lora == null ? step.spec() : withLora(step.spec(), lora);
        Job job = Job.of(UUID.randomUUID(), sibling.tenantId(), spec.kind().wireName(), mapper.valueToTree(spec),
                sibling.submittedBy(), JobStatus.QUEUED, 1, sibling.maxAttempts()).inWorkflow(workflow.id(), step.id());
        jobs.insert(job);
        commands.request(job, spec, why, now);
        LOG.infof("workflow %s: step '%s' enqueued as job %s (LoRA %s)", workflow.id(), step.id(), job.id(), lora);
    }

    /** The step's spec with the LoRA the scheduler picked; the workflow spec leaves it empty. */
    private static JobSpec withLora(JobSpec spec, LoraRef lora) {
        if (spec instanceof EvaluateSpec e) {
            return new EvaluateSpec(e.modelId(), e.datasetId(), lora, e.sampling());
        }
        if (spec instanceof GenerateSpec g) {
            return new GenerateSpec(g.modelId(), lora, g.sampling());
        }
        throw new IllegalStateException("a " + spec.kind().wireName() + " step cannot run on a checkpoint");
    }

    /** After a job of the workflow ended: fail, rank, start the next steps or succeed, as far as the jobs allow. */
    private void settle(Workflow workflow, Job ended, String cause, Instant now) {
        List<StepJob> stepJobs = workflows.jobs(workflow.id());
        Map<String, StepStatus> states = StepStates.of(workflow.spec(), stepJobs);
        Optional<StepJob> failedPlain = stepJobs.stream()
                .filter(j -> endedBadly(j) && workflow.spec().step(j.step()).filter(WorkflowDriver::isPlain).isPresent())
                .findFirst();
        if (failedPlain.isPresent()) {
            StepJob failed = failedPlain.get();
            String kind = workflow.spec().step(failed.step()).map(s -> s.kind().wireName()).orElse("");
            fail(workflow, ended, kind + " step '" + failed.step() + "' " + describe(failed), cause, now);
        } else if (workflow.spec().steps().stream().allMatch(WorkflowDriver::isPlain)) {
            advance(workflow, ended, stepJobs, states, cause, now);
        } else {
            settleCheckpoints(workflow, ended, stepJobs, cause, now);
        }
    }

    /** A step that runs once, when its dependencies are done: no forEach, no bestOf. */
    private static boolean isPlain(StepSpec step) {
        return step.forEach() == null && step.bestOf() == null;
    }

    /** General form: start every step whose dependencies all SUCCEEDED; succeed once every step has. */
    private void advance(Workflow workflow, Job ended, List<StepJob> stepJobs, Map<String, StepStatus> states,
            String cause, Instant now) {
        if (states.values().stream().allMatch(s -> s == StepStatus.SUCCEEDED)) {
            succeed(workflow, ended, cause, now);
            return;
        }
        for (StepSpec step : workflow.spec().steps()) {
            boolean ready = states.get(step.id()) == StepStatus.PENDING
                    && step.dependsOn().stream().allMatch(d -> states.get(d) == StepStatus.SUCCEEDED);
            if (ready) {
                enqueue(workflow, step, ended, upstreamLora(workflow, step, stepJobs), cause, now);
            }
        }
    }

    /**
     * The LoRA of a plain evaluate/generate step that names none but depends on a train step: that step's final
     * LoRA, what "generate after train" means. Null keeps the step's own (or no) LoRA.
     */
    private static LoraRef upstreamLora(Workflow workflow, StepSpec step, List<StepJob> stepJobs) {
        if (!(step.spec() instanceof EvaluateSpec || step.spec() instanceof GenerateSpec) || loraOf(step.spec()) != null) {
            return null;
        }
        return step.dependsOn().stream()
                .filter(d -> workflow.spec().step(d).filter(s -> s.kind() == JobKind.TRAIN).isPresent())
                .flatMap(d -> stepJobs.stream().filter(j -> d.equals(j.step())))
                .findFirst().map(train -> new LoraRef(train.id().toString(), null, null)).orElse(null);
    }

    private static LoraRef loraOf(JobSpec spec) {
        if (spec instanceof EvaluateSpec e) {
            return e.lora();
        }
        return spec instanceof GenerateSpec g ? g.lora() : null;
    }

    /** Train-then-evaluate shape: rank once training and every evaluation ended, then the final step. */
    private void settleCheckpoints(Workflow workflow, Job ended, List<StepJob> stepJobs, String cause, Instant now) {
        Optional<StepSpec> trainStep = workflow.spec().steps().stream().filter(s -> s.spec() instanceof TrainSpec).findFirst();
        Optional<StepJob> train = trainStep.flatMap(s -> stepJobs.stream().filter(j -> s.id().equals(j.step())).findFirst());
        if (train.isEmpty()) {
            return;
        }
        StepJob trainJob = train.get();
        Optional<StepSpec> finalStep = workflow.spec().steps().stream().filter(s -> s.bestOf() != null).findFirst();
        if (workflow.ranked()) {
            finalStep.flatMap(s -> stepJobs.stream().filter(j -> s.id().equals(j.step())).findFirst())
                    .filter(j -> j.status().isTerminal())
                    .ifPresent(j -> finishAfterFinal(workflow, ended, j, cause, now));
            return;
        }
        List<StepJob> evaluations = stepJobs.stream().filter(j -> isEvaluation(workflow, j, trainJob.step())).toList();
        if (trainJob.status() != JobStatus.SUCCEEDED || evaluations.stream().anyMatch(j -> !j.status().isTerminal())) {
            return;
        }
        rank(workflow, ended, trainJob, evaluations, finalStep, cause, now);
    }

    private static boolean isEvaluation(Workflow workflow, StepJob job, String trainStep) {
        return workflow.spec().step(job.step())
                .filter(s -> trainStep.equals(s.forEachStep()) && s.kind() == JobKind.EVALUATE).isPresent();
    }

    private void rank(Workflow workflow, Job ended, StepJob train, List<StepJob> evaluations, Optional<StepSpec> finalStep,
            String cause, Instant now) {
        Map<Integer, Checkpoint> checkpoints = workflows.checkpoints(train.id());
        List<CheckpointOutcome> outcomes = new ArrayList<>();
        for (StepJob evaluation : evaluations) {
            int step = evaluation.checkpoint();
            outcomes.add(evaluation.status() == JobStatus.SUCCEEDED
                    ? CheckpointOutcome.evaluated(step, checkpoints.containsKey(step) ? checkpoints.get(step).metrics() : Map.of())
                    : CheckpointOutcome.failed(step, evaluation.status() == JobStatus.FAILED && evaluation.failureReason() != null
                            ? evaluation.failureReason() : describe(evaluation)));
        }
        Ranking ranking = CheckpointRanker.rank(outcomes, RankingPolicy.of(workflow.spec().policy()));
        Integer bestStep = ranking.best().map(Ranking.Ranked::step).orElse(null);
        Optional<String> promoted = bestStep == null ? Optional.empty()
                : promoter.promote(ended.tenantId(), workflow.id(), train.id(), bestStep);
        String bestLocation = promoted.orElse(null);
        workflows.ranked(workflow.id(), mapper.valueToTree(ranking), bestStep, bestLocation);
        promoted.ifPresent(location -> workflows.promoted(train.id(), location));
        ObjectNode decision = decision(workflow).put("bestStep", bestStep).put("bestLocation", bestLocation);
        decision.set("ranking", mapper.valueToTree(ranking));
        record(ended, RANKED, cause, now, decision);
        Optional<String> none = ranking.noneEligibleReason();
        if (none.isPresent()) {
            fail(workflow, ended, none.get(), cause, now);
        } else if (promoted.isEmpty()) {
            fail(workflow, ended, "the best checkpoint, step " + bestStep + ", is no longer complete in the object store",
                    cause, now);
        } else if (finalStep.isPresent()) {
            enqueue(workflow, finalStep.get(), ended, new LoraRef(train.id().toString(), bestStep, null), cause, now);
        } else {
            succeed(workflow, ended, cause, now);
        }
    }

    private void finishAfterFinal(Workflow workflow, Job ended, StepJob last, String cause, Instant now) {
        if (last.status() == JobStatus.SUCCEEDED) {
            succeed(workflow, ended, cause, now);
        } else {
            fail(workflow, ended, "final step '" + last.step() + "' " + describe(last), cause, now);
        }
    }

    private void succeed(Workflow workflow, Job ended, String cause, Instant now) {
        workflows.finish(workflow.id(), WorkflowStatus.SUCCEEDED, null);
        record(ended, SUCCEEDED, cause, now, decision(workflow));
        LOG.infof("workflow %s succeeded", workflow.id());
    }

    private void fail(Workflow workflow, Job ended, String reason, String cause, Instant now) {
        workflows.finish(workflow.id(), WorkflowStatus.FAILED, reason);
        record(ended, FAILED, cause, now, decision(workflow).put("reason", reason));
        LOG.infof("workflow %s failed: %s", workflow.id(), reason);
    }

    private ObjectNode decision(Workflow workflow) {
        return mapper.createObjectNode().put("workflowId", workflow.id().toString());
    }

    private void record(Job job, String type, String cause, Instant now, ObjectNode payload) {
        audit.append(AuditEntry.bySchedulerOf(job, type, config.source(), cause, now, payload));
    }

    private static boolean endedBadly(StepJob job) {
        return job.status() == JobStatus.FAILED || job.status() == JobStatus.CANCELLED;
    }

    private static String describe(StepJob job) {
        String what = job.status().name().toLowerCase(Locale.ROOT);
        return job.failureReason() == null ? what : what + ": " + job.failureReason();
    }
}
