package dev.tuneforge.worker.engine.clip;

import ai.djl.ndarray.NDArray;

/**
 * What the CLIP vision tower returns.
 *
 * @param lastHiddenState {@code (B, patches + 1, hidden)}: the encoder output (no final norm)
 * @param poolerOutput {@code (B, hidden)}: the class token after {@code post_layernorm}
 */
public record ClipVisionOutput(NDArray lastHiddenState, NDArray poolerOutput) {
}
