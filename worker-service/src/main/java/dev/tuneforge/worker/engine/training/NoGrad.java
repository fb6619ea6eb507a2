package dev.tuneforge.worker.engine.training;

import ai.djl.pytorch.jni.JniUtils;

/**
 * A scope in which libtorch records no autograd graph on this thread (torch's {@code no_grad}),
 * e.g. to render validation images while the adapters' parameters still require gradients.
 */
final class NoGrad implements AutoCloseable {

    private final boolean previous;

    NoGrad() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
