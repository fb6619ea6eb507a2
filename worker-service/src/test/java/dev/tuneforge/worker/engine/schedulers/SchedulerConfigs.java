package dev.tuneforge.worker.engine.schedulers;

import dev.tuneforge.worker.engine.weights.ModelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Scheduler configs for tests that do not need fixtures: Stable Diffusion 1.5's training schedule plus extras. */
final class SchedulerConfigs {

    private SchedulerConfigs() {
    }

    /** SD 1.5's {@code scheduler_config.json} as another class, with {@code extra} JSON members appended. */
    static ModelConfig sd15(String className, String extra) {
        String json = "{\"_class_name\": \"" + className + "\", \"beta_start\": 0.00085, \"beta_end\": 0.012,"
                + " \"beta_schedule\": \"scaled_linear\", \"num_train_timesteps\": 1000, \"clip_sample\": false,"
                + " \"set_alpha_to_one\": false, \"skip_prk_steps\": true, \"steps_offset\": 1"
                + (extra.isEmpty() ? "" : ", " + extra) + "}";
        try {
            return ModelConfig.parse(json, "test config " + className);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Scheduler fromSd15(String className, String extra) {
        return SchedulerFactory.fromConfig(sd15(className, extra));
    }
}
