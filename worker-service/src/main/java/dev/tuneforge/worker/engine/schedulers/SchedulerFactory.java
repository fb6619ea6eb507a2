package dev.tuneforge.worker.engine.schedulers;

import dev.tuneforge.worker.engine.weights.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Builds schedulers from a diffusers {@code scheduler_config.json}, or by short name on a model's config. */
public final class SchedulerFactory {

    private static final Map<String, Function<SchedulerConfig, Scheduler>> CLASSES = new LinkedHashMap<>();
    private static final Map<String, Choice> NAMES = new LinkedHashMap<>();

    static {
        CLASSES.put("DDPMScheduler", DdpmScheduler::new);
        CLASSES.put("DDIMScheduler", DdimScheduler::new);
        CLASSES.put("PNDMScheduler", PndmScheduler::new);
        CLASSES.put("EulerDiscreteScheduler", EulerDiscreteScheduler::new);
        CLASSES.put("EulerAncestralDiscreteScheduler", EulerAncestralScheduler::new);
        CLASSES.put("DPMSolverMultistepScheduler", DpmSolverMultistepScheduler::new);

        NAMES.put("ddpm", new Choice("DDPMScheduler", Map.of()));
        NAMES.put("ddim", new Choice("DDIMScheduler", Map.of()));
        NAMES.put("pndm", new Choice("PNDMScheduler", Map.of()));
        NAMES.put("euler", new Choice("EulerDiscreteScheduler", Map.of()));
        NAMES.put("euler-ancestral", new Choice("EulerAncestralDiscreteScheduler", Map.of()));
        NAMES.put("dpmpp-2m", new Choice("DPMSolverMultistepScheduler", dpmSolver2m(false)));
        NAMES.put("dpmpp-2m-karras", new Choice("DPMSolverMultistepScheduler", dpmSolver2m(true)));
    }

    private SchedulerFactory() {
    }

    /** The scheduler a {@code scheduler_config.json} describes, by its {@code _class_name}. */
    public static Scheduler fromConfig(Path schedulerConfigJson) throws IOException {
        return fromConfig(ModelConfig.read(schedulerConfigJson));
    }

    public static Scheduler fromConfig(ModelConfig config) {
        String className = config.getString("_class_name");
        Function<SchedulerConfig, Scheduler> constructor = CLASSES.get(className);
        if (constructor == null) {
            throw new IllegalArgumentException("scheduler config " + config.source() + ": unknown _class_name '"
                    + className + "'; supported: " + CLASSES.keySet());
        }
        return constructor.apply(new SchedulerConfig(config, Map.of()));
    }

    /**
     * The scheduler called {@code name} (see {@link #names()}) set up from a model's scheduler config
     * of any class, as diffusers' {@code from_config}: the training schedule (betas, timestep count,
     * prediction type, spacing, offset, ...) carries over, options of other classes are ignored.
     */
    public static Scheduler create(String name, ModelConfig baseConfig) {
        Choice choice = NAMES.get(name);
        if (choice == null) {
            throw new IllegalArgumentException("unknown scheduler '" + name + "'; valid: " + NAMES.keySet());
        }
        return CLASSES.get(choice.className()).apply(new SchedulerConfig(baseConfig, choice.overrides()));
    }

    /** The short names {@link #create} accepts. */
    public static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(NAMES.keySet());
    }

    private static Map<String, Object> dpmSolver2m(boolean karras) {
        return Map.of("algorithm_type", "dpmsolver++", "solver_order", 2, "use_karras_sigmas", karras);
    }

    private record Choice(String className, Map<String, Object> overrides) {
    }
}
