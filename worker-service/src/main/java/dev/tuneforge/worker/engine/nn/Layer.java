package dev.tuneforge.worker.engine.nn;

import ai.djl.ndarray.NDArray;

/** A module with one input and one output; intermediates land in the input's manager. */
@FunctionalInterface
public interface Layer {

    NDArray forward(NDArray input);
}
