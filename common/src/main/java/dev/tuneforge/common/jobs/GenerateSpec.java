package dev.tuneforge.common.jobs;

/** Text-to-image with the base model {@code modelId}, optionally with a trained LoRA applied. */
public record GenerateSpec(String modelId, LoraRef lora, SamplingSettings sampling) implements JobSpec {
    public GenerateSpec {
        sampling = Defaults.or(sampling, SamplingSettings.defaults());
    }

    @Override
    public JobKind kind() {
        return JobKind.GENERATE;
    }
}
