package dev.tuneforge.common.jobs;

import java.util.List;

/**
 * How images are rendered: prompts, negative prompt, steps, classifier-free guidance, scheduler
 * (null = the model's own), seed, size and images per prompt. Used by generate and evaluate jobs
 * and by training's validation images. Empty prompts mean "the platform's default prompt set".
 */
public record SamplingSettings(List<String> prompts, String negativePrompt, Integer steps, Double guidance,
        String scheduler, Long seed, Integer width, Integer height, Integer imagesPerPrompt) {
    public SamplingSettings {
        prompts = prompts == null ? List.of() : List.copyOf(prompts);
        steps = Defaults.or(steps, Defaults.SAMPLING_STEPS);
        guidance = Defaults.or(guidance, Defaults.GUIDANCE);
        seed = Defaults.or(seed, Defaults.SEED);
        width = Defaults.or(width, Defaults.IMAGE_SIZE);
        height = Defaults.or(height, Defaults.IMAGE_SIZE);
        imagesPerPrompt = Defaults.or(imagesPerPrompt, Defaults.IMAGES_PER_PROMPT);
    }

    public static SamplingSettings defaults() {
        return new SamplingSettings(null, null, null, null, null, null, null, null, null);
    }
}
