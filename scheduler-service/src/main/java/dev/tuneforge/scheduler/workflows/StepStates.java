package dev.tuneforge.scheduler.workflows;

import dev.tuneforge.common.jobs.JobStatus;
import dev.tuneforge.common.workflows.StepSpec;
import dev.tuneforge.common.workflows.WorkflowSpec;
import dev.tuneforge.scheduler.workflows.WorkflowStore.StepJob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each step's state from its jobs (the {@code workflow_steps.status} values the scheduler keeps): PENDING with
 * no job yet; RUNNING while a job runs, or while a per-checkpoint step's train step can still announce
 * checkpoints; otherwise the worst outcome of its jobs. Pure, so the rule is tested without a database.
 */
public final class StepStates {
    /** A step's state ({@code workflow_steps.status}). */
    public enum State { PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED }

    private StepStates() {
    }

    /** Every step of {@code workflow} by id, in the spec's order (dependencies before dependents are not required). */
    public static Map<String, State> of(WorkflowSpec workflow, List<StepJob> jobs) {
        Map<String, State> states = new LinkedHashMap<>();
        for (StepSpec step : workflow.steps()) {
            states.put(step.id(), of(workflow, step, jobs));
        }
        return states;
    }

    private static State of(WorkflowSpec workflow, StepSpec step, List<StepJob> jobs) {
        List<JobStatus> own = statuses(jobs, step.id());
        if (own.isEmpty()) {
            return State.PENDING;
        }
        String source = step.forEachStep();
        boolean sourceRunning = source != null && workflow.step(source)
                .map(s -> of(workflow, s, jobs) == State.RUNNING).orElse(false);
        if (sourceRunning || own.stream().anyMatch(s -> !s.isTerminal())) {
            return State.RUNNING;
        }
        if (own.contains(JobStatus.CANCELLED)) {
            return State.CANCELLED;
        }
        return own.contains(JobStatus.FAILED) ? State.FAILED : State.SUCCEEDED;
    }

    private static List<JobStatus> statuses(List<StepJob> jobs, String step) {
        return jobs.stream().filter(j -> step.equals(j.step())).map(StepJob::status).toList();
    }
}
