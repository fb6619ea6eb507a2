package dev.tuneforge.worker.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code torch.nn.utils.clip_grad_norm_} with the L2 norm: the total norm is the norm of the
 * per-parameter gradient norms, and every gradient is multiplied by
 * {@code min(1, max_norm / (total + 1e-6))}. (DJL's own gradient clipping clamps each element,
 * which is a different operation.)
 */
public final class GradientClipping {

    private static final float EPSILON = 1e-6f;

    private GradientClipping() {
    }

    /**
     * Scales the accumulated gradients of {@code parameters} in place so their total L2 norm is at
     * most {@code maxNorm}; parameters without a gradient are left out, as torch does.
     *
     * @return the total norm before clipping (NaN or infinite if a gradient is)
     */
    public static float clipGradNorm(List<NDArray> parameters, double maxNorm, NDManager scratchParent) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("max grad norm must be > 0, got " + maxNorm);
        }
        try (NDManager scratch = scratchParent.newSubManager()) {
            List<NDArray> grads = gradients(parameters, scratch);
            float total = norm(grads);
            // torch computes max_norm / (total + eps) as reciprocal() * max_norm, in float32.
            float coefficient = Math.min(1f, (1f / (total + EPSILON)) * (float) maxNorm);
            for (NDArray g : grads) {
                g.muli(coefficient);
            }
            return total;
        }
    }

    /** The total L2 norm of the accumulated gradients, without changing them (0 when there are none). */
    public static float totalNorm(List<NDArray> parameters, NDManager scratchParent) {
        try (NDManager scratch = scratchParent.newSubManager()) {
            return norm(gradients(parameters, scratch));
        }
    }

    private static List<NDArray> gradients(List<NDArray> parameters, NDManager scratch) {
        List<NDArray> grads = new ArrayList<>();
        for (NDArray p : parameters) {
            NDArray g = Gradients.of(p, scratch);
            if (g != null) {
                grads.add(g);
            }
        }
        return grads;
    }

    /** torch's total norm: the norm of the per-gradient norms. */
    private static float norm(List<NDArray> grads) {
        if (grads.isEmpty()) {
            return 0f;
        }
        NDList norms = new NDList();
        grads.forEach(g -> norms.add(g.norm()));
        return NDArrays.stack(norms).norm().getFloat();
    }
}
