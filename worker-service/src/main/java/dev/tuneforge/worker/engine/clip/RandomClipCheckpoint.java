package dev.tuneforge.worker.engine.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.tuneforge.worker.engine.text.ClipTowerConfig;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import dev.tuneforge.worker.engine.weights.SafeTensorsWriter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A CLIPModel folder with random weights (normal, std 0.02; layer norms at identity;
 * {@code logit_scale = ln 100}) for a config.json: to time real model sizes, such as
 * openai/clip-vit-large-patch14, without downloading their weights. The speed of a forward pass
 * does not depend on the weights' values. Written as one shard per encoder layer plus the
 * {@code model.safetensors.index.json} of sharded checkpoints, so at most one layer is in memory.
 */
public final class RandomClipCheckpoint {

    /** openai/clip-vit-large-patch14, the model torchmetrics' CLIPScore uses by default. */
    public static final String VIT_L14_CONFIG = """
            {"projection_dim": 768,
             "text_config": {"hidden_size": 768, "intermediate_size": 3072, "num_attention_heads": 12,
               "num_hidden_layers": 12, "vocab_size": 49408, "max_position_embeddings": 77, "eos_token_id": 2},
             "vision_config": {"hidden_size": 1024, "intermediate_size": 4096, "num_attention_heads": 16,
               "num_hidden_layers": 24, "image_size": 224, "patch_size": 14}}""";

    private static final float STD = 0.02f;

    private final NDManager manager;
    private final Path dir;
    private final Map<String, String> weightMap = new TreeMap<>();
    private SafeTensorsWriter writer = new SafeTensorsWriter();
    private final List<String> pending = new ArrayList<>();

    private RandomClipCheckpoint(NDManager manager, Path dir) {
        this.manager = manager;
        this.dir = dir;
    }

    /** Writes config.json and model.safetensors for {@code configJson} into {@code dir}. */
    public static void write(String configJson, Path dir, long seed) throws IOException {
        ModelConfig config = ModelConfig.parse(configJson, "random CLIP config");
        ModelConfig text = ModelConfig.parse(config.node("text_config").toString(), "text_config");
        ModelConfig vision = ModelConfig.parse(config.node("vision_config").toString(), "vision_config");
        int projection = config.getInt("projection_dim", 512);
        Files.createDirectories(dir);
        try (NDManager manager = NDManager.newBaseManager()) {
            JniUtils.setSeed(seed);
            RandomClipCheckpoint checkpoint = new RandomClipCheckpoint(manager, dir);
            ClipTowerConfig textTower = ClipTowerConfig.of(text);
            ClipVisionConfig visionSizes = ClipVisionConfig.of(vision);
            int textHidden = textTower.hiddenSize();
            int visionHidden = visionSizes.tower().hiddenSize();
            checkpoint.normal("text_model.embeddings.token_embedding.weight", text.getInt("vocab_size", 49408), textHidden);
            checkpoint.normal("text_model.embeddings.position_embedding.weight",
                    text.getInt("max_position_embeddings", 77), textHidden);
            checkpoint.encoder("text_model.encoder", textTower);
            checkpoint.layerNorm("text_model.final_layer_norm", textHidden);
            checkpoint.normal("vision_model.embeddings.class_embedding", visionHidden);
            checkpoint.normal("vision_model.embeddings.patch_embedding.weight", visionHidden, visionSizes.channels(),
                    visionSizes.patchSize(), visionSizes.patchSize());
            checkpoint.normal("vision_model.embeddings.position_embedding.weight", visionSizes.positions(), visionHidden);
            checkpoint.layerNorm("vision_model.pre_layrnorm", visionHidden);
            checkpoint.encoder("vision_model.encoder", visionSizes.tower());
            checkpoint.layerNorm("vision_model.post_layernorm", visionHidden);
            checkpoint.normal("visual_projection.weight", projection, visionHidden);
            checkpoint.normal("text_projection.weight", projection, textHidden);
            checkpoint.add("logit_scale", manager.create((float) Math.log(100)));
            checkpoint.flush();
            Files.writeString(dir.resolve("model.safetensors.index.json"), new ObjectMapper()
                    .writeValueAsString(Map.of("weight_map", checkpoint.weightMap)));
        }
        Files.writeString(dir.resolve("config.json"), configJson);
    }

    private void encoder(String prefix, ClipTowerConfig tower) throws IOException {
        int hidden = tower.hiddenSize();
        for (int i = 0; i < tower.layers(); i++) {
            flush();
            String layer = prefix + ".layers." + i;
            for (String projection : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                linear(layer + ".self_attn." + projection, hidden, hidden);
            }
            layerNorm(layer + ".layer_norm1", hidden);
            layerNorm(layer + ".layer_norm2", hidden);
            linear(layer + ".mlp.fc1", hidden, tower.intermediateSize());
            linear(layer + ".mlp.fc2", tower.intermediateSize(), hidden);
        }
    }

    private void linear(String name, int in, int out) {
        normal(name + ".weight", out, in);
        add(name + ".bias", manager.zeros(new Shape(out)));
    }

    private void layerNorm(String name, int dim) {
        add(name + ".weight", manager.ones(new Shape(dim)));
        add(name + ".bias", manager.zeros(new Shape(dim)));
    }

    private void normal(String name, long... shape) {
        add(name, manager.randomNormal(0, STD, new Shape(shape), DataType.FLOAT32));
    }

    private void add(String name, NDArray array) {
        writer.add(name, array);
        array.close();
        pending.add(name);
    }

    /** Writes the tensors added since the last flush as the next shard. */
    private void flush() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        String shard = String.format(Locale.ROOT, "model-%05d.safetensors", weightMap.values().stream().distinct()
                .count() + 1);
        writer.write(dir.resolve(shard));
        pending.forEach(name -> weightMap.put(name, shard));
        pending.clear();
        writer = new SafeTensorsWriter();
    }
}
