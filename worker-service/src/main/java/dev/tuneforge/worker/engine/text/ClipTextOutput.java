package dev.tuneforge.worker.engine.text;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What the CLIP text encoder returns.
 *
 * @param lastHiddenState {@code (B, L, hidden)} after the final layer norm: the UNet's text condition
 * @param poolerOutput {@code (B, hidden)}: the final state at the pooled (end-token) position
 * @param hiddenStates the embeddings and the output of every layer (before the final layer norm),
 *     for clip skip
 */
public record ClipTextOutput(NDArray lastHiddenState, NDArray poolerOutput, List<NDArray> hiddenStates) {

    public ClipTextOutput {
        hiddenStates = List.copyOf(hiddenStates);
    }
}
