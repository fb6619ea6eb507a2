package dev.tuneforge.common.jobs;

/**
 * Scores a LoRA (a training job's checkpoint or final weights; none = the base model): renders the
 * sampling prompts with a fixed seed and compares them with the training images of {@code datasetId}.
 */
public record EvaluateSpec(String modelId, String datasetId, LoraRef lora, SamplingSettings sampling)
        implements JobSpec {
    public EvaluateSpec {
        sampling = Defaults.or(sampling, SamplingSettings.defaults());
    }

    @Override
    public JobKind kind() {
        return JobKind.EVALUATE;
    }
}
