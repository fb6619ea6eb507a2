package dev.tuneforge.worker.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.AdamW} (single-tensor implementation, no amsgrad) on NDArray parameters:
 * decoupled weight decay {@code p *= 1 - lr·wd}, moments {@code m = β1 m + (1-β1) g} and
 * {@code v = β2 v + (1-β2) g²}, then {@code p -= lr/(1-β1^t) · m / (sqrt(v)/sqrt(1-β2^t) + ε)}:
 * ε is added after the bias-corrected square root, unlike DJL's Adam. Scalars are computed in
 * double as Python does, element-wise math runs in float32. Each parameter group has its own base
 * learning rate; a schedule scales them all by the same factor per step.
 */
public final class AdamW implements AutoCloseable {

    /** A named set of parameters sharing a base learning rate (e.g. the UNet's and the text encoder's). */
    public record Group(String name, List<String> parameterNames, List<NDArray> parameters, double lr) {

        public Group {
            if (parameterNames.size() != parameters.size()) {
                throw new IllegalArgumentException("group '" + name + "': " + parameterNames.size() + " names for "
                        + parameters.size() + " parameters");
            }
            if (!(lr >= 0)) {
                throw new IllegalArgumentException("group '" + name + "': learning rate must be >= 0, got " + lr);
            }
            parameterNames = List.copyOf(parameterNames);
            parameters = List.copyOf(parameters);
        }
    }

    /** β1, β2, ε and weight decay, as torch names them. */
    public record Hyperparameters(double beta1, double beta2, double epsilon, double weightDecay) {

        /** diffusers' training-script defaults: betas (0.9, 0.999), eps 1e-8, weight decay 1e-2. */
        public static Hyperparameters defaults() {
            return new Hyperparameters(0.9, 0.999, 1e-8, 1e-2);
        }

        public Hyperparameters {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("AdamW betas must be in [0, 1), got " + beta1 + ", " + beta2);
            }
            if (!(epsilon >= 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("AdamW eps and weight decay must be >= 0, got " + epsilon + ", "
                        + weightDecay);
            }
        }
    }

    private static final String EXP_AVG = ".exp_avg";
    private static final String EXP_AVG_SQ = ".exp_avg_sq";

    private final List<Group> groups;
    private final Hyperparameters hyper;
    private final NDManager manager;
    /** Per parameter name: first and second moment, created at the parameter's first step. */
    private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
    private final Map<String, Long> steps = new LinkedHashMap<>();

    public AdamW(List<Group> groups, Hyperparameters hyper) {
        if (groups.isEmpty() || groups.stream().allMatch(g -> g.parameters().isEmpty())) {
            throw new IllegalArgumentException("AdamW needs at least one parameter");
        }
        this.groups = List.copyOf(groups);
        this.hyper = hyper;
        NDArray first = groups.stream().filter(g -> !g.parameters().isEmpty()).findFirst().orElseThrow()
                .parameters().get(0);
        this.manager = NDManager.newBaseManager(first.getDevice());
        for (Group group : groups) {
            for (String name : group.parameterNames()) {
                if (steps.putIfAbsent(name, 0L) != null) {
                    throw new IllegalArgumentException("parameter '" + name + "' is in two AdamW groups");
                }
            }
        }
    }

    public List<Group> groups() {
        return groups;
    }

    /** Every parameter of every group, in group order. */
    public List<NDArray> parameters() {
        List<NDArray> all = new ArrayList<>();
        groups.forEach(g -> all.addAll(g.parameters()));
        return all;
    }

    /**
     * One update of every parameter that has a gradient, with each group's learning rate
     * multiplied by {@code lrFactor} (the schedule's value for this step).
     */
    public void step(double lrFactor) {
        try (NDManager scratch = manager.newSubManager()) {
            for (Group group : groups) {
                double lr = group.lr() * lrFactor;
                for (int i = 0; i < group.parameters().size(); i++) {
                    NDArray grad = Gradients.of(group.parameters().get(i), scratch);
                    if (grad != null) {
                        update(group.parameterNames().get(i), group.parameters().get(i), grad, lr, scratch);
                    }
                }
            }
        }
    }

    private void update(String name, NDArray parameter, NDArray grad, double lr, NDManager scratch) {
        long t = steps.merge(name, 1L, Long::sum);
        NDArray[] m = moments.computeIfAbsent(name, k -> new NDArray[] {zerosLike(parameter), zerosLike(parameter)});
        // Views in the scratch manager, so that every temporary derived from them is freed with it.
        NDArray expAvg = Gradients.data(m[0], scratch);
        NDArray expAvgSq = Gradients.data(m[1], scratch);
        NDArray data = Gradients.data(parameter, scratch);
        NDArray g = grad.toType(DataType.FLOAT32, false);
        data.muli((float) (1 - lr * hyper.weightDecay()));
        expAvg.muli((float) hyper.beta1()).addi(g.mul((float) (1 - hyper.beta1())));
        expAvgSq.muli((float) hyper.beta2()).addi(g.mul((float) (1 - hyper.beta2())).mul(g));
        double biasCorrection1 = 1 - Math.pow(hyper.beta1(), t);
        double biasCorrection2 = 1 - Math.pow(hyper.beta2(), t);
        double stepSize = lr / biasCorrection1;
        NDArray denominator = expAvgSq.sqrt().div((float) Math.sqrt(biasCorrection2)).add((float) hyper.epsilon());
        data.subi(expAvg.div(denominator).mul((float) stepSize));
    }

    private NDArray zerosLike(NDArray parameter) {
        return manager.zeros(parameter.getShape(), DataType.FLOAT32);
    }

    /** The first moment of parameter {@code name}, or null before its first step. */
    public NDArray expAvg(String name) {
        NDArray[] m = moments.get(name);
        return m == null ? null : m[0];
    }

    /** The second moment of parameter {@code name}, or null before its first step. */
    public NDArray expAvgSq(String name) {
        NDArray[] m = moments.get(name);
        return m == null ? null : m[1];
    }

    /** Steps taken by parameter {@code name}. */
    public long steps(String name) {
        Long t = steps.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no AdamW parameter '" + name + "'");
        }
        return t;
    }

    /**
     * The optimizer state for a checkpoint: {@code <name>.exp_avg} and {@code <name>.exp_avg_sq}
     * arrays (owned by this optimizer) and the per-parameter step counts.
     */
    public Map<String, NDArray> stateTensors() {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        moments.forEach((name, m) -> {
            tensors.put(name + EXP_AVG, m[0]);
            tensors.put(name + EXP_AVG_SQ, m[1]);
        });
        return tensors;
    }

    /** Per-parameter step counts for a checkpoint. */
    public Map<String, Long> stepCounts() {
        return new LinkedHashMap<>(steps);
    }

    /** Restores {@link #stateTensors()} and {@link #stepCounts()} of an optimizer over the same parameters. */
    public void loadState(Map<String, NDArray> tensors, Map<String, Long> stepCounts) {
        if (!stepCounts.keySet().equals(steps.keySet())) {
            throw new IllegalArgumentException("optimizer state is for other parameters: " + stepCounts.size()
                    + " saved, " + steps.size() + " now");
        }
        moments.values().forEach(m -> {
            m[0].close();
            m[1].close();
        });
        moments.clear();
        steps.putAll(stepCounts);
        for (Group group : groups) {
            for (int i = 0; i < group.parameters().size(); i++) {
                String name = group.parameterNames().get(i);
                NDArray avg = tensors.get(name + EXP_AVG);
                NDArray avgSq = tensors.get(name + EXP_AVG_SQ);
                if ((avg == null) != (avgSq == null) || (avg == null && stepCounts.get(name) > 0)) {
                    throw new IllegalArgumentException("optimizer state lacks the moments of '" + name + "'");
                }
                if (avg != null) {
                    moments.put(name, new NDArray[] {copy(avg, group.parameters().get(i), name),
                            copy(avgSq, group.parameters().get(i), name)});
                }
            }
        }
    }

    private NDArray copy(NDArray saved, NDArray parameter, String name) {
        if (!saved.getShape().equals(parameter.getShape())) {
            throw new IllegalArgumentException("optimizer state of '" + name + "' has shape " + saved.getShape()
                    + ", the parameter " + parameter.getShape());
        }
        NDArray copy = saved.toType(DataType.FLOAT32, false).toDevice(manager.getDevice(), true);
        copy.attach(manager);
        return copy;
    }

    @Override
    public void close() {
        manager.close();
    }
}
