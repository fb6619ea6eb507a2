package dev.tuneforge.worker.engine.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import dev.tuneforge.worker.engine.nn.LayerNorm;
import dev.tuneforge.worker.engine.nn.Linear;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import dev.tuneforge.worker.engine.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * transformers' CLIPTextModel: token + position embeddings, a causally masked pre-LN encoder and
 * a final layer norm, driven by config.json; weights under {@code text_model.*}.
 */
public final class ClipTextModel {

    /** transformers fills the causal mask with the dtype's minimum, not -inf. */
    private static final float MASKED = -Float.MAX_VALUE;
    /** Before transformers 4.31 the pooled token was the highest id, which is the end token in OpenAI's vocabulary. */
    private static final int LEGACY_EOS_TOKEN_ID = 2;
    /** A buffer older transformers versions saved with the weights; it is always 0..max_positions-1. */
    private static final String POSITION_IDS = "embeddings.position_ids";

    private final NDArray tokenEmbedding;
    private final NDArray positionEmbedding;
    private final ClipEncoder encoder;
    private final LayerNorm finalLayerNorm;
    private final int eosTokenId;

    private ClipTextModel(NDArray tokenEmbedding, NDArray positionEmbedding, ClipEncoder encoder,
                          LayerNorm finalLayerNorm, int eosTokenId) {
        this.tokenEmbedding = tokenEmbedding;
        this.positionEmbedding = positionEmbedding;
        this.encoder = encoder;
        this.finalLayerNorm = finalLayerNorm;
        this.eosTokenId = eosTokenId;
    }

    /**
     * Loads a {@code text_encoder/} folder (config.json + safetensors) into {@code manager}; a
     * missing, misshapen or unused weight fails naming it.
     */
    public static ClipTextModel load(Path dir, NDManager manager) throws IOException {
        ModelConfig config = ModelConfig.read(dir.resolve("config.json"));
        try (Weights weights = Weights.openDir(dir, manager)) {
            Weights textModel = weights.prefixed("text_model");
            ClipTextModel model = load(config, textModel);
            Set<String> unused = new TreeSet<>(weights.unusedKeys());
            unused.remove(textModel.qualify(POSITION_IDS));
            if (!unused.isEmpty()) {
                throw new IllegalArgumentException("text encoder weights in " + dir + " have keys the "
                        + "config.json model does not use: " + unused);
            }
            return model;
        }
    }

    /** Builds the model from the text config and the weights under {@code text_model}. */
    public static ClipTextModel load(ModelConfig config, Weights textModel) {
        ClipTowerConfig tower = ClipTowerConfig.of(config);
        long hidden = tower.hiddenSize();
        NDArray tokens = textModel.get("embeddings.token_embedding.weight",
                new Shape(config.getInt("vocab_size", 49408), hidden));
        NDArray positions = textModel.get("embeddings.position_embedding.weight",
                new Shape(config.getInt("max_position_embeddings", 77), hidden));
        ClipEncoder encoder = ClipEncoder.load(textModel.prefixed("encoder"), tower);
        LayerNorm finalNorm = LayerNorm.load(textModel, "final_layer_norm", hidden, tower.layerNormEps());
        return new ClipTextModel(tokens, positions, encoder, finalNorm, config.getInt("eos_token_id", 2));
    }

    /**
     * Encodes {@code (B, L)} token ids. The outputs are attached to the ids' manager; every
     * intermediate lives in a sub-manager closed before returning.
     */
    public ClipTextOutput forward(NDArray inputIds) {
        Shape shape = inputIds.getShape();
        long maxPositions = positionEmbedding.getShape().get(0);
        if (shape.dimension() != 2 || shape.get(1) > maxPositions) {
            throw new IllegalArgumentException("input ids must be (batch, length <= " + maxPositions + "), got " + shape);
        }
        NDManager caller = inputIds.getManager();
        try (NDManager sub = caller.newSubManager()) {
            NDArray ids = inputIds.toType(DataType.INT64, true);
            ids.attach(sub);
            int length = (int) shape.get(1);
            NDArray embeddings = embed(ids, tokenEmbedding)
                    .add(embed(sub.arange(0, length, 1, DataType.INT64), positionEmbedding));
            List<NDArray> states = encoder.forward(embeddings, causalMask(sub, length, embeddings.getDataType()));
            NDArray last = finalLayerNorm.forward(states.get(states.size() - 1));
            NDArray pooled = pool(ids, last, sub);
            List<NDArray> outputs = new ArrayList<>(states);
            outputs.add(last);
            outputs.add(pooled);
            outputs.forEach(a -> a.attach(caller));
            return new ClipTextOutput(last, pooled, states);
        }
    }

    /**
     * Every linear layer by its full state-dict name (e.g.
     * {@code text_model.encoder.layers.0.self_attn.q_proj}); install adapters on them to change the model.
     */
    public Map<String, Linear> linears() {
        return Collections.unmodifiableMap(encoder.linears());
    }

    /** The final layer norm, for clip skip (applied to an earlier hidden state). */
    public LayerNorm finalLayerNorm() {
        return finalLayerNorm;
    }

    private static NDArray embed(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    private static NDArray causalMask(NDManager manager, int length, DataType type) {
        float[] mask = new float[length * length];
        for (int row = 0; row < length; row++) {
            Arrays.fill(mask, row * length + row + 1, (row + 1) * length, MASKED);
        }
        return manager.create(mask, new Shape(1, length, length)).toType(type, false);
    }

    /** Legacy rule (eos id 2): position of the highest id; otherwise the first end token. */
    private NDArray pool(NDArray ids, NDArray last, NDManager sub) {
        NDArray positions = eosTokenId == LEGACY_EOS_TOKEN_ID
                ? ids.argMax(1)
                : ids.eq(eosTokenId).toType(DataType.INT32, false).argMax(1);
        long batch = last.getShape().get(0);
        long length = last.getShape().get(1);
        NDArray rows = sub.arange(0, (int) batch, 1, DataType.INT64).mul(length).add(positions.toType(DataType.INT64, false));
        return embed(rows, last.reshape(batch * length, last.getShape().get(2)));
    }
}
