package dev.tuneforge.worker.engine.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneforge.worker.engine.clip.RandomClipCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes "tuneforge-tiny-random-clip": a CLIPModel folder in the Hub layout (config, weights,
 * preprocessor config and tokenizer side by side, what {@code ClipScorer.load} reads) with the seeded
 * random weights of {@link RandomClipCheckpoint}, small enough to score a few images in milliseconds on a
 * CPU. It exists so that the demo's evaluations have a CLIP score: the random demo model never draws a
 * face, so only {@code clip_score_all_images} can rank its checkpoints. The score measures nothing; never
 * mistake this for a real CLIP. The tokenizer is the tiny SD model's (same vocabulary and merges), so a
 * demo prompt is the same tokens in both.
 */
public final class TinyRandomClip {

    public static final String NAME = "tuneforge-tiny-random-clip";
    private static final int HIDDEN = 32;
    private static final int IMAGE_SIZE = 32;
    private static final int PATCH_SIZE = 8;

    private TinyRandomClip() {
    }

    /** Writes the model into {@code dir} (created if needed) and returns it. Same seed, same bytes. */
    public static Path write(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        ByteLevelVocab vocab = ByteLevelVocab.of(TinyModelFactory.WORDS);
        ObjectNode config = config(vocab);
        TinyModelFactory.writeJson(dir.resolve("config.json"), config);
        TinyModelFactory.writeRandomClipWeights(config, "", seed, dir.resolve("model.safetensors"), NAME);
        TinyModelFactory.writeJson(dir.resolve("preprocessor_config.json"), preprocessorConfig());
        TinyModelFactory.writeTokenizer(dir, vocab, NAME);
        Files.writeString(dir.resolve("README.txt"), NAME + " — random weights, not a real model.\n"
                + "Written by TuneForge's TinyRandomClip (seed " + seed + ") so that demo evaluations have a CLIP"
                + " score; that score is meaningless. Point tuneforge.worker.clip-model at a real CLIP (e.g."
                + " openai/clip-vit-large-patch14) for real work.\n");
        return dir;
    }

    private static ObjectNode config(ByteLevelVocab vocab) {
        ObjectNode c = TinyModelFactory.JSON.createObjectNode().put("_name_or_path", NAME);
        c.putArray("architectures").add("CLIPModel");
        c.put("model_type", "clip").put("projection_dim", HIDDEN).put("logit_scale_init_value", 2.6592)
                .put("torch_dtype", "float32");
        TinyModelFactory.textTower(c.putObject("text_config"), vocab, 2, 2);
        c.putObject("vision_config").put("model_type", "clip_vision_model").put("hidden_act", "quick_gelu")
                .put("hidden_size", HIDDEN).put("intermediate_size", 37).put("num_attention_heads", 2)
                .put("num_hidden_layers", 2).put("num_channels", 3).put("image_size", IMAGE_SIZE)
                .put("patch_size", PATCH_SIZE).put("layer_norm_eps", 1e-5);
        return c;
    }

    /** transformers' CLIPImageProcessor at this model's size: bicubic resize, centre crop, OpenAI's mean and std. */
    private static ObjectNode preprocessorConfig() {
        ObjectNode c = TinyModelFactory.JSON.createObjectNode().put("image_processor_type", "CLIPImageProcessor")
                .put("do_resize", true).put("resample", 3).put("do_center_crop", true).put("do_rescale", true)
                .put("rescale_factor", 1 / 255.0).put("do_normalize", true).put("do_convert_rgb", true);
        c.putObject("size").put("shortest_edge", IMAGE_SIZE);
        c.putObject("crop_size").put("height", IMAGE_SIZE).put("width", IMAGE_SIZE);
        c.putArray("image_mean").add(0.48145466).add(0.4578275).add(0.40821073);
        c.putArray("image_std").add(0.26862954).add(0.26130258).add(0.27577711);
        return c;
    }
}
