package dev.tuneforge.worker.engine.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The adapter of one linear layer: {@code down} (A, {@code rank × in}), {@code up} (B,
 * {@code out × rank}) and alpha; its contribution is {@code (alpha / rank) · B A x}.
 */
public record LoraModuleWeights(NDArray down, NDArray up, double alpha) {

    public LoraModuleWeights {
        Shape d = down.getShape();
        Shape u = up.getShape();
        if (d.dimension() != 2 || u.dimension() != 2 || d.get(0) != u.get(1)) {
            throw new IllegalArgumentException("LoRA down must be (rank, in) and up (out, rank), got " + d + " and " + u);
        }
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("LoRA alpha must be > 0, got " + alpha);
        }
    }

    public int rank() {
        return (int) down.getShape().get(0);
    }

    public double scaling() {
        return alpha / rank();
    }
}
