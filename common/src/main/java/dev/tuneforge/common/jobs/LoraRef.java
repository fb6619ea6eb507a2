package dev.tuneforge.common.jobs;

/**
 * A LoRA to apply: the training job that made it and the checkpoint step (null = its final LoRA),
 * with the runtime scale.
 */
public record LoraRef(String jobId, Integer step, Double scale) {
    public LoraRef {
        scale = Defaults.or(scale, 1.0);
    }
}
