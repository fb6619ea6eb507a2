package dev.tuneforge.worker.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalars as libtorch-owned 0-dim arrays, for arithmetic that may be part of a training graph.
 * DJL's {@code mul(Number)}, {@code div(Number)}, {@code pow(Number)} wrap the number in a Java
 * direct buffer that libtorch uses without owning (on the CPU) and close it right after the
 * operation; autograd keeps that tensor for the backward pass, and once the garbage collector has
 * freed the buffer the gradient is computed from whatever the memory then holds (random NaNs).
 * A 0-dim array made by libtorch itself lives as long as autograd needs it. Same values, same
 * results: only the owner of the scalar's memory differs.
 */
public final class Scalars {

    private Scalars() {
    }

    /** {@code value} as a 0-dim array of {@code like}'s type, device and manager. */
    public static NDArray like(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }
}
