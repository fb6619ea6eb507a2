package dev.tuneforge.scheduler.workflows;

import dev.tuneforge.common.jobs.JobStatus;
import dev.tuneforge.common.workflows.StepSpec;
import dev.tuneforge.common.workflows.StepStatus;
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
    private StepStates() {
    }

    /** Every step of {@code workflow} by id, in the spec's order (dependencies before dependents are not required). */
    public static Map<String, StepStatus> of(WorkflowSpec workflow, List<StepJob> jobs) {
        Map<String, StepStatus> states = new LinkedHashMap<>();
        for (StepSpec step : workflow.steps()) {
            states.put(step.id(), of(workflow, step, jobs));
        }
        return states;
    }

    private static StepStatus of(WorkflowSpec workflow, StepSpec step, List<StepJob> jobs) {
        List<JobStatus> own = statuses(jobs, step.id());
        if (own.isEmpty()) {
            return StepStatus.PENDING;
        }
        String source = step.forEachStep();
        boolean sourceRunning = source != null && workflow.step(source)
                .map(s -> of(workflow, s, jobs) == StepStatus.RUNNING).orElse(false);
        return sourceRunning ? StepStatus.RUNNING : StepStatus.ofJobs(own);
    }

    private static List<JobStatus> statuses(List<StepJob> jobs, String step) {
        return jobs.stream().filter(j -> step.equals(j.step())).map(StepJob::status).toList();
    }
}
