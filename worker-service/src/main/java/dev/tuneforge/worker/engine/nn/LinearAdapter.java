package dev.tuneforge.worker.engine.nn;

import ai.djl.ndarray.NDArray;

/**
 * Changes what a {@link Linear} returns, given its input and its own output: the hook through
 * which LoRA adds {@code scale * B(A(x))} to exactly the projections it targets.
 */
@FunctionalInterface
public interface LinearAdapter {

    NDArray apply(Linear layer, NDArray input, NDArray baseOutput);
}
