package dev.tuneforge.common.workflows;

import dev.tuneforge.common.jobs.EvaluateSpec;
import dev.tuneforge.common.jobs.GenerateSpec;
import dev.tuneforge.common.jobs.InvalidSpecException;
import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.common.jobs.JobSpec;
import dev.tuneforge.common.jobs.LoraRef;
import dev.tuneforge.common.jobs.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a workflow's shape and policy, naming every offending field ({@code steps[1].dependsOn[0]},
 * {@code policy.objective}): step ids unique and well-formed, dependencies known and acyclic, forEach
 * and bestOf naming an upstream train step (and leaving the step's LoRA to the workflow), a known objective, weights and constraints not negative. The job
 * specs inside the steps are checked by common's job validator when they are parsed.
 */
public final class WorkflowValidator {
    private static final Pattern STEP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final WorkflowSpec workflow;
    private final List<Violation> violations = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();

    private WorkflowValidator(WorkflowSpec workflow) {
        this.workflow = workflow;
    }

    public static List<Violation> validate(WorkflowSpec workflow) {
        WorkflowValidator v = new WorkflowValidator(workflow);
        v.steps();
        v.policy(workflow.policy());
        return List.copyOf(v.violations);
    }

    public static WorkflowSpec requireValid(WorkflowSpec workflow) {
        List<Violation> found = validate(workflow);
        if (!found.isEmpty()) {
            throw new InvalidSpecException(found);
        }
        return workflow;
    }

    private void steps() {
        List<StepSpec> steps = workflow.steps();
        if (steps.isEmpty()) {
            add("steps", "at least one step is required");
            return;
        }
        for (int i = 0; i < steps.size(); i++) {
            String id = steps.get(i).id();
            if (id == null || !STEP_ID.matcher(id).matches()) {
                add("steps[" + i + "].id", "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
            } else if (index.putIfAbsent(id, i) != null) {
                add("steps[" + i + "].id", "duplicate step id '" + id + "' (also steps[" + index.get(id) + "])");
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            references(i, steps.get(i));
        }
        checkpointShape();
        cycle();
    }

    /**
     * What the scheduler can drive: plain steps only (each starts when its dependencies succeeded), or one train
     * step with the steps over its checkpoints (forEach, bestOf). A plain step waiting on others next to forEach or
     * bestOf steps would never be started, so such a workflow is refused here rather than left to hang until its
     * timeout.
     */
    private void checkpointShape() {
        List<StepSpec> steps = workflow.steps();
        if (steps.stream().noneMatch(s -> s.forEach() != null || s.bestOf() != null)) {
            return;
        }
        long trainSteps = steps.stream().filter(s -> s.kind() == JobKind.TRAIN).count();
        for (int i = 0; i < steps.size(); i++) {
            StepSpec step = steps.get(i);
            boolean plain = step.forEach() == null && step.bestOf() == null;
            if (plain && step.kind() == JobKind.TRAIN && trainSteps > 1) {
                add("steps[" + i + "]", "a workflow with forEach or bestOf steps has exactly one train step; found "
                        + trainSteps);
            } else if (plain && (step.kind() != JobKind.TRAIN || !step.dependsOn().isEmpty())) {
                add("steps[" + i + "]", "a workflow with forEach or bestOf steps runs one train step (no dependsOn) and"
                        + " steps over its checkpoints; a plain " + step.kind().wireName() + " step is not supported with"
                        + " them (make it forEach or bestOf, or drop the forEach/bestOf steps)");
            }
        }
    }

    private void references(int i, StepSpec step) {
        String path = "steps[" + i + "]";
        for (int d = 0; d < step.dependsOn().size(); d++) {
            String dep = step.dependsOn().get(d);
            if (!index.containsKey(dep)) {
                add(path + ".dependsOn[" + d + "]", "unknown step '" + dep + "'; steps are " + index.keySet());
            } else if (dep.equals(step.id())) {
                add(path + ".dependsOn[" + d + "]", "a step cannot depend on itself");
            }
        }
        if (step.forEach() != null) {
            String target = step.forEachStep();
            if (target == null) {
                add(path + ".forEach", "must be '" + StepSpec.checkpointsOf("<step>") + "', was '" + step.forEach() + "'");
            } else {
                trainStep(path + ".forEach", target, step);
            }
        }
        if (step.bestOf() != null) {
            trainStep(path + ".bestOf", step.bestOf(), step);
        }
        if ((step.forEach() != null || step.bestOf() != null) && lora(step.spec()) != null) {
            add(path + ".spec.lora", "leave it out: the workflow sets the checkpoint of "
                    + (step.forEach() != null ? "forEach" : "bestOf"));
        } else if (step.forEach() != null && step.bestOf() != null) {
            add(path + ".bestOf", "a step runs either for each checkpoint or with the best one, not both");
        }
    }

    private static LoraRef lora(JobSpec spec) {
        if (spec instanceof EvaluateSpec evaluate) {
            return evaluate.lora();
        }
        return spec instanceof GenerateSpec generate ? generate.lora() : null;
    }

    /** A forEach or bestOf reference: a known train step this step depends on (directly or not). */
    private void trainStep(String field, String target, StepSpec step) {
        Integer at = index.get(target);
        if (at == null) {
            add(field, "unknown step '" + target + "'; steps are " + index.keySet());
        } else if (workflow.steps().get(at).kind() != JobKind.TRAIN) {
            add(field, "step '" + target + "' is a " + workflow.steps().get(at).kind().wireName()
                    + " step; only a train step has checkpoints");
        } else if (!upstream(step).contains(target)) {
            add(field, "step '" + target + "' must be in this step's dependsOn (directly or through other steps)");
        }
    }

    private Set<String> upstream(StepSpec step) {
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(step.dependsOn());
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (index.containsKey(next) && seen.add(next)) {
                todo.addAll(workflow.steps().get(index.get(next)).dependsOn());
            }
        }
        return seen;
    }

    /** Depth-first search over known dependencies; reports the first cycle found with its path. */
    private void cycle() {
        Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
        for (StepSpec step : workflow.steps()) {
            List<String> path = new ArrayList<>();
            if (index.containsKey(step.id()) && visit(step.id(), state, path)) {
                add("steps[" + index.get(path.get(path.size() - 1)) + "].dependsOn",
                        "dependency cycle: " + String.join(" -> ", path));
                return;
            }
        }
    }

    private boolean visit(String id, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(id);
        if (s != null && s == 2) {
            return false;
        }
        path.add(id);
        if (s != null) {
            path.subList(0, path.indexOf(id)).clear();
            return true;
        }
        state.put(id, 1);
        for (String dep : workflow.steps().get(index.get(id)).dependsOn()) {
            if (index.containsKey(dep) && !dep.equals(id) && visit(dep, state, path)) {
                return true;
            }
        }
        state.put(id, 2);
        path.remove(path.size() - 1);
        return false;
    }

    private void policy(SelectionPolicy policy) {
        Objective objective = Objective.find(policy.objective()).orElse(null);
        if (objective == null) {
            add("policy.objective", "unknown objective '" + policy.objective() + "'; one of " + Objective.wireNames());
        }
        policy.weights().forEach((name, weight) -> {
            Objective weighted = Objective.find(name).orElse(null);
            if (weighted == null || weighted == Objective.WEIGHTED) {
                add("policy.weights." + name, "unknown objective; weights name one of "
                        + Objective.singleWireNames());
            } else if (weight == null || weight.isNaN() || weight.isInfinite() || weight < 0) {
                add("policy.weights." + name, "must be a finite number >= 0, was " + weight);
            }
        });
        if (objective == Objective.WEIGHTED && policy.weights().values().stream()
                .noneMatch(w -> w != null && w > 0 && !w.isInfinite())) {
            add("policy.weights", "the weighted objective needs at least one positive weight");
        }
        Integer maxFaceless = policy.constraints().maxFaceless();
        if (maxFaceless != null && maxFaceless < 0) {
            add("policy.constraints.maxFaceless", "must be >= 0, was " + maxFaceless);
        }
    }

    private void add(String field, String message) {
        violations.add(new Violation(field, message));
    }
}
