package dev.tuneforge.worker.engine.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.nn.Conv2d;
import dev.tuneforge.worker.engine.nn.LayerNorm;
import dev.tuneforge.worker.engine.text.ClipEncoder;
import dev.tuneforge.worker.engine.weights.Weights;

/**
 * transformers' CLIPVisionTransformer: non-overlapping patches embedded by a bias-free convolution,
 * a learned class token in front, learned position embeddings, {@code pre_layrnorm}, the same
 * pre-LN encoder as the text tower (without a mask), and {@code post_layernorm} on the class
 * token as the pooled output. Weights under {@code vision_model.*}.
 */
public final class ClipVisionModel {

    private final ClipVisionConfig config;
    private final Conv2d patchEmbedding;
    /** The class token as (1, 1, hidden), shaped once at load (a per-call reshape would land in the weights' manager). */
    private final NDArray classToken;
    private final NDArray positionEmbedding;
    private final LayerNorm preLayerNorm;
    private final ClipEncoder encoder;
    private final LayerNorm postLayerNorm;

    private ClipVisionModel(ClipVisionConfig config, Conv2d patchEmbedding, NDArray classToken,
                            NDArray positionEmbedding, LayerNorm preLayerNorm, ClipEncoder encoder,
                            LayerNorm postLayerNorm) {
        this.config = config;
        this.patchEmbedding = patchEmbedding;
        this.classToken = classToken;
        this.positionEmbedding = positionEmbedding;
        this.preLayerNorm = preLayerNorm;
        this.encoder = encoder;
        this.postLayerNorm = postLayerNorm;
    }

    /** Builds the tower from its config and the weights under {@code vision_model}. */
    public static ClipVisionModel load(ClipVisionConfig config, Weights visionModel) {
        long hidden = config.tower().hiddenSize();
        float eps = config.tower().layerNormEps();
        Conv2d patches = Conv2d.load(visionModel, "embeddings.patch_embedding", config.channels(), hidden,
                config.patchSize(), config.patchSize(), 0, 1, false);
        NDArray classToken = visionModel.get("embeddings.class_embedding", new Shape(hidden)).reshape(1, 1, hidden);
        NDArray positions = visionModel.get("embeddings.position_embedding.weight",
                new Shape(config.positions(), hidden));
        return new ClipVisionModel(config, patches, classToken, positions,
                LayerNorm.load(visionModel, "pre_layrnorm", hidden, eps),
                ClipEncoder.load(visionModel.prefixed("encoder"), config.tower()),
                LayerNorm.load(visionModel, "post_layernorm", hidden, eps));
    }

    public ClipVisionConfig config() {
        return config;
    }

    /**
     * Encodes {@code (B, channels, imageSize, imageSize)} normalised pixels. The outputs are
     * attached to the input's manager; intermediates live in a sub-manager closed before returning.
     */
    public ClipVisionOutput forward(NDArray pixelValues) {
        Shape shape = pixelValues.getShape();
        int size = config.imageSize();
        if (shape.dimension() != 4 || shape.get(1) != config.channels() || shape.get(2) != size
                || shape.get(3) != size) {
            throw new IllegalArgumentException("CLIP pixel values must be (batch, " + config.channels() + ", " + size
                    + ", " + size + "), got " + shape);
        }
        NDManager caller = pixelValues.getManager();
        try (NDManager sub = caller.newSubManager()) {
            long batch = shape.get(0);
            long hidden = config.tower().hiddenSize();
            NDArray patches = patchEmbedding.forward(pixelValues);
            patches.attach(sub);
            patches = patches.reshape(batch, hidden, -1).transpose(0, 2, 1);
            NDArray classTokens = sub.zeros(new Shape(batch, 1, hidden), patches.getDataType()).add(classToken);
            NDArray embeddings = NDArrays.concat(new NDList(classTokens, patches), 1).add(positionEmbedding);
            NDArray last = encoder.forwardLast(preLayerNorm.forward(embeddings), null);
            NDArray pooled = postLayerNorm.forward(last.get(new NDIndex(":, 0, :")));
            last.attach(caller);
            pooled.attach(caller);
            return new ClipVisionOutput(last, pooled);
        }
    }
}
