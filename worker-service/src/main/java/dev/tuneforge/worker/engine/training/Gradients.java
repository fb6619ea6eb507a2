package dev.tuneforge.worker.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;

/**
 * Access to the gradients libtorch accumulates in {@code .grad}: DJL's own accessor invents zeros
 * for a parameter that took no part in the backward pass, where torch's optimizers skip it.
 */
public final class Gradients {

    private Gradients() {
    }

    /** The accumulated gradient of {@code parameter}, owned by {@code scratch}, or null when it has none. */
    public static NDArray of(NDArray parameter, NDManager scratch) {
        NDArray grad = JniUtils.getGradient((PtNDArray) parameter);
        if (grad != null) {
            grad.attach(scratch);
        }
        return grad;
    }

    /** {@code optimizer.zero_grad(set_to_none=False)}: sets every accumulated gradient to 0. */
    public static void zero(List<NDArray> parameters) {
        parameters.forEach(p -> JniUtils.zeroGrad((PtNDArray) p));
    }

    /** A view of {@code parameter}'s data that autograd does not track (for in-place updates), owned by {@code scratch}. */
    public static NDArray data(NDArray parameter, NDManager scratch) {
        NDArray detached = parameter.stopGradient();
        detached.attach(scratch);
        return detached;
    }
}
