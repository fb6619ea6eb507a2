package dev.tuneforge.common.workflows;

import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.common.jobs.JobSpec;
import java.util.List;

/**
 * One step of a workflow: a job of {@code spec.kind()} that starts when every step in
 * {@code dependsOn} is done. {@code forEach} ({@code "checkpoints of <step>"}) fans the step out into
 * one job per checkpoint of that train step, each with the checkpoint as its LoRA. {@code bestOf}
 * names a train step whose selected best checkpoint becomes this step's LoRA (the final generate).
 * The spec's own LoRA is left empty in both cases: the scheduler fills it in when it enqueues the job.
 */
public record StepSpec(String id, JobSpec spec, List<String> dependsOn, String forEach, String bestOf) {
    static final String FOR_EACH_PREFIX = "checkpoints of ";

    public StepSpec {
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }

    public JobKind kind() {
        return spec.kind();
    }

    /** The train step whose checkpoints this step runs over, or null when it runs once. */
    public String forEachStep() {
        return forEach != null && forEach.startsWith(FOR_EACH_PREFIX)
                ? forEach.substring(FOR_EACH_PREFIX.length()).trim() : null;
    }

    /** {@code forEach} text for "one job per checkpoint of {@code trainStep}". */
    public static String checkpointsOf(String trainStep) {
        return FOR_EACH_PREFIX + trainStep;
    }
}
