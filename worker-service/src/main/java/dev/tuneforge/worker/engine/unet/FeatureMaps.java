package dev.tuneforge.worker.engine.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Conversions between feature maps {@code (B, C, H, W)} and token sequences {@code (B, H·W, C)}
 * for attention over spatial positions. Both results are contiguous, as the reference's
 * {@code permute(...).contiguous()}: a strided map would switch the next convolutions to another
 * memory layout. Flattening a transposed view is how DJL forces that copy.
 */
public final class FeatureMaps {

    private FeatureMaps() {
    }

    /** {@code (B, C, H, W)} to contiguous {@code (B, H·W, C)}. */
    public static NDArray toTokens(NDArray map) {
        Shape s = map.getShape();
        long tokens = s.get(2) * s.get(3);
        return map.reshape(s.get(0), s.get(1), tokens).transpose(0, 2, 1).reshape(-1)
                .reshape(s.get(0), tokens, s.get(1));
    }

    /** {@code (B, H·W, C)} to contiguous {@code (B, C, H, W)}. */
    public static NDArray toMap(NDArray tokens, long height, long width) {
        Shape s = tokens.getShape();
        return tokens.transpose(0, 2, 1).reshape(-1).reshape(s.get(0), s.get(2), height, width);
    }
}
