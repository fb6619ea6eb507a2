package dev.tuneforge.worker.engine.nn;

import ai.djl.ndarray.NDArray;

/**
 * Reshaped views of parameters that layers make once, at load, to save work per call. A view made
 * before the parameter required gradients is outside any recorded graph: while the parameter is
 * trained (a full fine-tune) the layer must use a fresh view made during the forward pass, or the
 * gradient would never reach the parameter.
 */
public final class ParameterViews {

    private ParameterViews() {
    }

    /** {@code cached}, or a fresh view of {@code parameter} in its shape, owned by {@code scope}'s manager, while it is trained. */
    public static NDArray current(NDArray parameter, NDArray cached, NDArray scope) {
        if (!parameter.hasGradient()) {
            return cached;
        }
        NDArray view = parameter.reshape(cached.getShape());
        view.attach(scope.getManager());
        return view;
    }
}
