package dev.tuneforge.worker.engine.clip;

import dev.tuneforge.worker.engine.nn.Activation;
import dev.tuneforge.worker.engine.text.ClipTowerConfig;
import dev.tuneforge.worker.engine.weights.ModelConfig;

/**
 * The {@code vision_config} of a CLIPModel: the transformer sizes plus the square input image and
 * its patch grid. Missing keys take transformers' CLIPVisionConfig defaults (ViT-B/32).
 */
public record ClipVisionConfig(ClipTowerConfig tower, int imageSize, int patchSize, int channels) {

    private static final ClipTowerConfig VISION_DEFAULTS = new ClipTowerConfig(768, 3072, 12, 12, 1e-5f,
            Activation.QUICK_GELU);

    public ClipVisionConfig {
        if (patchSize <= 0 || imageSize % patchSize != 0) {
            throw new IllegalArgumentException("vision image_size " + imageSize + " is not a multiple of patch_size "
                    + patchSize);
        }
    }

    public static ClipVisionConfig of(ModelConfig vision) {
        return new ClipVisionConfig(ClipTowerConfig.of(vision, VISION_DEFAULTS), vision.getInt("image_size", 224),
                vision.getInt("patch_size", 32), vision.getInt("num_channels", 3));
    }

    /** Patches per side of the image. */
    public int gridSize() {
        return imageSize / patchSize;
    }

    /** Patches plus the class token. */
    public int positions() {
        return gridSize() * gridSize() + 1;
    }
}
