package dev.tuneforge.worker.engine.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.nn.Linear;
import dev.tuneforge.worker.engine.text.ClipTextModel;
import dev.tuneforge.worker.engine.text.ClipTextOutput;
import dev.tuneforge.worker.engine.text.ClipTowerConfig;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import dev.tuneforge.worker.engine.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * transformers' CLIPModel: the vision and text towers, their bias-free projections into the
 * shared embedding space, and the learned temperature {@code logit_scale}. Embeddings are
 * L2-normalised, so {@code logits_per_image = exp(logit_scale) · cos(image, text)}: for the
 * released OpenAI models exp(logit_scale) is 100, which makes it the usual CLIP score.
 */
public final class ClipModel {

    /** Buffers older transformers versions saved with the weights; they are always 0..positions-1. */
    private static final Set<String> POSITION_ID_BUFFERS = Set.of("text_model.embeddings.position_ids",
            "vision_model.embeddings.position_ids");

    private final ClipVisionModel vision;
    private final ClipTextModel text;
    private final Linear visualProjection;
    private final Linear textProjection;
    private final float logitScale;

    private ClipModel(ClipVisionModel vision, ClipTextModel text, Linear visualProjection, Linear textProjection,
                      float logitScale) {
        this.vision = vision;
        this.text = text;
        this.visualProjection = visualProjection;
        this.textProjection = textProjection;
        this.logitScale = logitScale;
    }

    /**
     * Loads a CLIPModel folder (config.json with {@code text_config} and {@code vision_config},
     * safetensors weights) into {@code manager}; a missing, misshapen or unused weight fails naming it.
     */
    public static ClipModel load(Path dir, NDManager manager) throws IOException {
        ModelConfig config = ModelConfig.read(dir.resolve("config.json"));
        ModelConfig textConfig = subConfig(config, "text_config");
        ModelConfig visionConfig = subConfig(config, "vision_config");
        int projection = config.getInt("projection_dim", 512);
        try (Weights weights = Weights.openDir(dir, manager)) {
            ClipVisionConfig visionSizes = ClipVisionConfig.of(visionConfig);
            ClipVisionModel vision = ClipVisionModel.load(visionSizes, weights.prefixed("vision_model"));
            ClipTextModel text = ClipTextModel.load(textConfig, weights.prefixed("text_model"));
            Linear visual = Linear.load(weights, "visual_projection", visionSizes.tower().hiddenSize(), projection,
                    false);
            Linear textual = Linear.load(weights, "text_projection", ClipTowerConfig.of(textConfig).hiddenSize(),
                    projection, false);
            float scale = (float) Math.exp(weights.get("logit_scale", new Shape()).getFloat());
            Set<String> unused = new TreeSet<>(weights.unusedKeys());
            unused.removeAll(POSITION_ID_BUFFERS);
            if (!unused.isEmpty()) {
                throw new IllegalArgumentException("CLIP weights in " + dir + " have keys the config.json model "
                        + "does not use: " + unused);
            }
            return new ClipModel(vision, text, visual, textual, scale);
        }
    }

    /** A sub-object of config.json as a config of its own; absent means all defaults, as in transformers. */
    private static ModelConfig subConfig(ModelConfig config, String key) throws IOException {
        String json = config.has(key) ? config.node(key).toString() : "{}";
        if (config.has(key) && !config.node(key).isObject()) {
            throw new IllegalArgumentException("config " + config.source() + ": '" + key + "' is not an object");
        }
        return ModelConfig.parse(json, config.source() + " " + key);
    }

    public ClipVisionModel vision() {
        return vision;
    }

    public ClipTextModel text() {
        return text;
    }

    /** {@code exp(logit_scale)}, the factor from cosine to logits. */
    public float logitScale() {
        return logitScale;
    }

    /** L2-normalised image embeddings {@code (B, projection)} of normalised pixels, in the input's manager. */
    public NDArray imageEmbeds(NDArray pixelValues) {
        ClipVisionOutput out = vision.forward(pixelValues);
        NDArray embeds = normalize(visualProjection.forward(out.poolerOutput()));
        out.lastHiddenState().close();
        out.poolerOutput().close();
        return embeds;
    }

    /** L2-normalised text embeddings {@code (B, projection)} of token ids, in the ids' manager. */
    public NDArray textEmbeds(NDArray inputIds) {
        ClipTextOutput out = text.forward(inputIds);
        NDArray embeds = normalize(textProjection.forward(out.poolerOutput()));
        out.hiddenStates().forEach(NDArray::close);
        out.lastHiddenState().close();
        out.poolerOutput().close();
        return embeds;
    }

    /** {@code (images, texts)} logits: {@code exp(logit_scale) · imageEmbeds · textEmbedsᵀ}. */
    public NDArray logitsPerImage(NDArray imageEmbeds, NDArray textEmbeds) {
        return imageEmbeds.matMul(textEmbeds.transpose()).mul(logitScale);
    }

    private static NDArray normalize(NDArray embeds) {
        return embeds.div(embeds.norm(new int[] {-1}, true));
    }
}
