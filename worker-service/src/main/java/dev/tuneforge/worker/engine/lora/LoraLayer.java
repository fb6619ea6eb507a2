package dev.tuneforge.worker.engine.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.nn.Linear;
import dev.tuneforge.worker.engine.nn.LinearAdapter;
import dev.tuneforge.worker.engine.nn.Scalars;

/**
 * A LoRA adapter on one {@link Linear}: {@code y = W x + b + s · (alpha / rank) · B (A dropout(x))},
 * computed as peft's {@code lora.Linear} does (base first, then {@code B(A(x)) * scaling}), with
 * {@code s} the runtime scale. A and B stay float32 whatever the base's precision. Merging adds
 * {@code (alpha/rank) · B A} into the base weight, after which the layer costs nothing extra.
 */
public final class LoraLayer implements LinearAdapter {

    private final Linear base;
    private final NDArray down;
    private final NDArray up;
    private final double alpha;
    private final double dropout;
    private double scale = 1.0;
    private boolean training;
    private boolean merged;

    LoraLayer(Linear base, NDArray down, NDArray up, double alpha, double dropout) {
        Shape d = down.getShape();
        Shape u = up.getShape();
        if (d.dimension() != 2 || u.dimension() != 2 || d.get(1) != base.inFeatures() || u.get(0) != base.outFeatures()
                || d.get(0) != u.get(1)) {
            throw new IllegalArgumentException("LoRA for '" + base.name() + "' (" + base.inFeatures() + " -> "
                    + base.outFeatures() + ") needs down (rank, " + base.inFeatures() + ") and up (" + base.outFeatures()
                    + ", rank), got " + d + " and " + u);
        }
        this.base = base;
        this.down = down;
        this.up = up;
        this.alpha = alpha;
        this.dropout = dropout;
    }

    @Override
    public NDArray apply(Linear layer, NDArray input, NDArray baseOutput) {
        double scaling = scaling();
        if (merged || scaling == 0) {
            return baseOutput;
        }
        NDArray x = input.getDataType() == down.getDataType() ? input : input.toType(down.getDataType(), false);
        if (training && dropout > 0) {
            x = x.getNDArrayInternal().dropout(x, (float) dropout, true).singletonOrThrow();
        }
        NDArray hidden = x.getNDArrayInternal().linear(x, down, null).singletonOrThrow();
        NDArray product = hidden.getNDArrayInternal().linear(hidden, up, null).singletonOrThrow();
        NDArray delta = product.mul(Scalars.like(product, scaling));
        if (baseOutput.getDataType() == delta.getDataType()) {
            return baseOutput.add(delta);
        }
        return baseOutput.toType(delta.getDataType(), false).add(delta).toType(baseOutput.getDataType(), false);
    }

    /** The wrapped layer. */
    public Linear base() {
        return base;
    }

    /** A, {@code (rank, in)}: a live parameter array. */
    public NDArray down() {
        return down;
    }

    /** B, {@code (out, rank)}: a live parameter array. */
    public NDArray up() {
        return up;
    }

    public int rank() {
        return (int) down.getShape().get(0);
    }

    public double alpha() {
        return alpha;
    }

    /** The factor on {@code B A x} now: runtime scale × alpha / rank. */
    public double scaling() {
        return scale * alpha / rank();
    }

    /** Multiplies the adapter's output by {@code s} (diffusers' {@code scale_lora_layers}); 1 is the trained strength. */
    public void setScale(double s) {
        if (merged) {
            throw new IllegalStateException("LoRA on '" + base.name() + "' is merged: unmerge before changing its scale");
        }
        this.scale = s;
    }

    public double scale() {
        return scale;
    }

    /** Whether dropout is active (training) or not (inference). */
    public void setTraining(boolean on) {
        this.training = on;
    }

    public boolean merged() {
        return merged;
    }

    /** Adds {@code scaling · B A} into the base weight; the adapter then adds nothing at run time. */
    public void merge() {
        if (!merged) {
            addDelta(1);
            merged = true;
        }
    }

    /** Subtracts what {@link #merge()} added (exact up to float rounding, as peft's unmerge). */
    public void unmerge() {
        if (merged) {
            addDelta(-1);
            merged = false;
        }
    }

    /** The current weights as a module entry for saving: copies in {@code target}, so later training does not change them. */
    public LoraModuleWeights snapshot(NDManager target) {
        try (NDManager scratch = target.newSubManager()) {
            NDArray a = detachedIn(down, scratch).duplicate();
            NDArray b = detachedIn(up, scratch).duplicate();
            a.attach(target);
            b.attach(target);
            return new LoraModuleWeights(a, b, alpha);
        }
    }

    /** {@code W += sign · scaling · B A}, outside the autograd graph. */
    private void addDelta(int sign) {
        NDArray weight = base.weight();
        try (NDManager scratch = weight.getManager().newSubManager()) {
            NDArray product = detachedIn(up, scratch).matMul(detachedIn(down, scratch)).mul(sign * scaling());
            weight.addi(product.toType(weight.getDataType(), false));
        }
    }

    /** A view of {@code parameter}'s data that autograd does not track, owned by {@code manager}. */
    static NDArray detachedIn(NDArray parameter, NDManager manager) {
        NDArray detached = parameter.stopGradient();
        detached.attach(manager);
        return detached;
    }

    @Override
    public String toString() {
        return "LoraLayer[" + base.name() + ", rank " + rank() + ", alpha " + alpha + "]";
    }
}
