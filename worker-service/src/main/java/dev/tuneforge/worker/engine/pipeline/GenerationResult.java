package dev.tuneforge.worker.engine.pipeline;

import java.util.List;

/**
 * The images of one call, prompt by prompt (all images of prompt 0, then of prompt 1, ...).
 *
 * @param seed the seed of the starting noise (unless the request gave latents) and of every
 *     scheduler draw: the same seed gives the same images
 * @param truncatedPrompts prompts and negative prompts longer than the text encoder takes, whose
 *     tail was dropped as the reference tokenizer drops it
 */
public record GenerationResult(List<GeneratedImage> images, long seed, List<String> truncatedPrompts) {

    public GenerationResult {
        images = List.copyOf(images);
        truncatedPrompts = List.copyOf(truncatedPrompts);
    }
}
