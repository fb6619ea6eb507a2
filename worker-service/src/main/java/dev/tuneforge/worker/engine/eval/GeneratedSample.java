package dev.tuneforge.worker.engine.eval;

/**
 * A generated image and the prompt it was generated from.
 *
 * @param prompt null when unknown: the image then gets no CLIP score
 */
public record GeneratedSample(ImageInput image, String prompt) {
}
