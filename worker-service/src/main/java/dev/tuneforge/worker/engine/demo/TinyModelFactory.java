package dev.tuneforge.worker.engine.demo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneforge.worker.engine.clip.RandomClipCheckpoint;
import dev.tuneforge.worker.engine.unet.UNet2DConditionModel;
import dev.tuneforge.worker.engine.vae.AutoencoderKL;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import dev.tuneforge.worker.engine.weights.SafeTensorsWriter;
import dev.tuneforge.worker.engine.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.io.file.PathUtils;

/**
 * Writes "tuneforge-tiny-random": a complete Stable-Diffusion-shaped model in diffusers layout
 * with seeded random weights, small enough to train and sample on a laptop CPU in seconds. It
 * exists so the platform can be demonstrated and tested end to end without downloading a real
 * model; its images are noise-like, never mistake it for one. Shapes follow the tiny test
 * pipelines diffusers uses (two 32/64-channel blocks, 32-wide text encoder), native size 64×64.
 *
 * <p>UNet and VAE get torch's default init through the engine's own random module builders, the
 * text encoder the CLIP init of {@link RandomClipCheckpoint}, so weight names and shapes are by
 * construction those the engine loads.
 */
public final class TinyModelFactory {

    public static final String NAME = "tuneforge-tiny-random";
    public static final long DEFAULT_SEED = 20240601L;
    /** Words of the demo captions and prompts: one token each in the tiny vocabulary. */
    static final List<String> WORDS = List.of("a", "the", "on", "of", "photo", "red", "green", "blue", "yellow",
            "purple", "orange", "white", "black", "circle", "square", "triangle", "background", "shape", "tfdemo");

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int TEXT_HIDDEN = 32;
    private static final int MAX_TOKENS = 77;

    private TinyModelFactory() {
    }

    /** Writes the model into {@code dir} (created if needed) and returns it. Same seed, same bytes. */
    public static Path write(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        ByteLevelVocab vocab = ByteLevelVocab.of(WORDS);
        writeJson(dir.resolve("model_index.json"), modelIndex());
        Files.writeString(dir.resolve("README.txt"), NAME + " — random weights, not a real model.\n"
                + "Written by TuneForge's TinyModelFactory (seed " + seed + ") to demonstrate and test the"
                + " platform; its images are noise. Import a real Stable Diffusion 1.5 model for real work.\n");
        writeTokenizer(dir.resolve("tokenizer"), vocab, NAME);
        writeTextEncoder(dir.resolve("text_encoder"), vocab, seed);
        ObjectNode unet = unetConfig();
        writeComponent(dir.resolve("unet"), unet, "diffusion_pytorch_model.safetensors",
                manager -> UNet2DConditionModel.randomInit(config(unet), manager, seed + 1));
        ObjectNode vae = vaeConfig();
        writeComponent(dir.resolve("vae"), vae, "diffusion_pytorch_model.safetensors",
                manager -> AutoencoderKL.randomInit(config(vae), manager, seed + 2));
        writeJson(dir.resolve("scheduler").resolve("scheduler_config.json"), schedulerConfig());
        return dir;
    }

    /** Builds a model with random weights into the manager it is given. */
    @FunctionalInterface
    private interface RandomBuild {
        void build(NDManager manager) throws IOException;
    }

    /**
     * Builds the component in a fresh manager and saves every parameter it holds: the random
     * module builders name each parameter after its state-dict key; loading the result back checks
     * that nothing is missing or extra.
     */
    private static void writeComponent(Path dir, ObjectNode config, String file, RandomBuild build)
            throws IOException {
        Files.createDirectories(dir);
        writeJson(dir.resolve("config.json"), config);
        try (NDManager manager = NDManager.newBaseManager()) {
            build.build(manager);
            SafeTensorsWriter writer = new SafeTensorsWriter().metadata("format", "pt").metadata("name", NAME);
            for (NDArray array : manager.getManagedArrays()) {
                // Unnamed arrays are derived at build time (re-laid-out kernels, frequency tables), not parameters.
                if (array.getName() != null) {
                    writer.add(array.getName(), array);
                }
            }
            writer.write(dir.resolve(file));
        }
    }

    /** The text tower of a random CLIP checkpoint (its vision tower, the least that builds, is dropped). */
    private static void writeTextEncoder(Path dir, ByteLevelVocab vocab, long seed) throws IOException {
        Files.createDirectories(dir);
        ObjectNode text = textConfig(vocab);
        writeJson(dir.resolve("config.json"), text);
        ObjectNode clip = JSON.createObjectNode().put("projection_dim", TEXT_HIDDEN);
        clip.set("text_config", text);
        clip.putObject("vision_config").put("hidden_size", TEXT_HIDDEN).put("intermediate_size", 37)
                .put("num_attention_heads", 4).put("num_hidden_layers", 1).put("image_size", 32).put("patch_size", 16);
        writeRandomClipWeights(clip, "text_model", seed, dir.resolve("model.safetensors"), NAME);
    }

    /**
     * Writes the weights of a {@link RandomClipCheckpoint} for {@code clip} whose keys start with {@code prefix}
     * (all of them for "") as one safetensors file: the checkpoint comes in one shard per layer, which a model
     * this small does not need.
     */
    static void writeRandomClipWeights(ObjectNode clip, String prefix, long seed, Path file, String name)
            throws IOException {
        Path scratch = Files.createTempDirectory(file.getParent(), ".clip");
        try {
            RandomClipCheckpoint.write(JSON.writeValueAsString(clip), scratch, seed);
            try (NDManager manager = NDManager.newBaseManager(); Weights weights = Weights.openDir(scratch, manager)) {
                SafeTensorsWriter writer = new SafeTensorsWriter().metadata("format", "pt").metadata("name", name);
                for (String key : (prefix.isEmpty() ? weights : weights.prefixed(prefix)).keys()) {
                    writer.add(key, weights.get(key));
                }
                writer.write(file);
            }
        } finally {
            PathUtils.deleteDirectory(scratch);
        }
    }

    /** CLIPTokenizer files for {@code vocab}, named {@code name}. */
    static void writeTokenizer(Path dir, ByteLevelVocab vocab, String name) throws IOException {
        Files.createDirectories(dir);
        writeJson(dir.resolve("vocab.json"), JSON.valueToTree(vocab.ids()));
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n" + String.join("\n", vocab.merges()) + "\n");
        ObjectNode config = JSON.createObjectNode().put("tokenizer_class", "CLIPTokenizer")
                .put("model_max_length", MAX_TOKENS).put("bos_token", ByteLevelVocab.START)
                .put("eos_token", ByteLevelVocab.END).put("pad_token", ByteLevelVocab.END)
                .put("unk_token", ByteLevelVocab.END).put("name_or_path", name);
        writeJson(dir.resolve("tokenizer_config.json"), config);
        ObjectNode special = JSON.createObjectNode().put("bos_token", ByteLevelVocab.START)
                .put("eos_token", ByteLevelVocab.END).put("pad_token", ByteLevelVocab.END)
                .put("unk_token", ByteLevelVocab.END);
        writeJson(dir.resolve("special_tokens_map.json"), special);
    }

    private static ObjectNode modelIndex() {
        ObjectNode index = JSON.createObjectNode().put("_class_name", "StableDiffusionPipeline")
                .put("_diffusers_version", "0.30.3").put("_name_or_path", NAME).put("requires_safety_checker", false);
        index.putArray("scheduler").add("diffusers").add("PNDMScheduler");
        index.putArray("text_encoder").add("transformers").add("CLIPTextModel");
        index.putArray("tokenizer").add("transformers").add("CLIPTokenizer");
        index.putArray("unet").add("diffusers").add("UNet2DConditionModel");
        index.putArray("vae").add("diffusers").add("AutoencoderKL");
        for (String absent : List.of("feature_extractor", "safety_checker", "image_encoder")) {
            index.putArray(absent).addNull().addNull();
        }
        return index;
    }

    private static ObjectNode textConfig(ByteLevelVocab vocab) {
        ObjectNode c = JSON.createObjectNode().put("_name_or_path", NAME);
        c.putArray("architectures").add("CLIPTextModel");
        return textTower(c, vocab, 5, 4).put("projection_dim", TEXT_HIDDEN).put("torch_dtype", "float32");
    }

    /** A 32-wide CLIP text tower over {@code vocab} (its size and special-token ids), added to {@code c}. */
    static ObjectNode textTower(ObjectNode c, ByteLevelVocab vocab, int layers, int heads) {
        return c.put("model_type", "clip_text_model").put("hidden_act", "quick_gelu").put("hidden_size", TEXT_HIDDEN)
                .put("intermediate_size", 37).put("num_attention_heads", heads).put("num_hidden_layers", layers)
                .put("max_position_embeddings", MAX_TOKENS).put("layer_norm_eps", 1e-5)
                .put("vocab_size", vocab.ids().size()).put("bos_token_id", vocab.id(ByteLevelVocab.START))
                .put("eos_token_id", vocab.id(ByteLevelVocab.END)).put("pad_token_id", vocab.id(ByteLevelVocab.END));
    }

    private static ObjectNode unetConfig() {
        ObjectNode c = JSON.createObjectNode().put("_class_name", "UNet2DConditionModel")
                .put("_diffusers_version", "0.30.3").put("_name_or_path", NAME).put("act_fn", "silu")
                .put("attention_head_dim", 8).put("cross_attention_dim", TEXT_HIDDEN).put("in_channels", 4)
                .put("out_channels", 4).put("layers_per_block", 2).put("norm_num_groups", 32).put("norm_eps", 1e-5)
                .put("sample_size", 32).put("flip_sin_to_cos", true).put("freq_shift", 0)
                .put("mid_block_type", "UNetMidBlock2DCrossAttn").put("downsample_padding", 1)
                .put("use_linear_projection", false).put("upcast_attention", false);
        ints(c.putArray("block_out_channels"), 32, 64);
        c.putArray("down_block_types").add("DownBlock2D").add("CrossAttnDownBlock2D");
        c.putArray("up_block_types").add("CrossAttnUpBlock2D").add("UpBlock2D");
        return c;
    }

    private static ObjectNode vaeConfig() {
        ObjectNode c = JSON.createObjectNode().put("_class_name", "AutoencoderKL").put("_diffusers_version", "0.30.3")
                .put("_name_or_path", NAME).put("act_fn", "silu").put("in_channels", 3).put("out_channels", 3)
                .put("latent_channels", 4).put("layers_per_block", 1).put("norm_num_groups", 32)
                .put("sample_size", 64).put("scaling_factor", 0.18215);
        ints(c.putArray("block_out_channels"), 32, 64);
        c.putArray("down_block_types").add("DownEncoderBlock2D").add("DownEncoderBlock2D");
        c.putArray("up_block_types").add("UpDecoderBlock2D").add("UpDecoderBlock2D");
        return c;
    }

    private static ObjectNode schedulerConfig() {
        return JSON.createObjectNode().put("_class_name", "PNDMScheduler").put("_diffusers_version", "0.30.3")
                .put("num_train_timesteps", 1000).put("beta_start", 0.00085).put("beta_end", 0.012)
                .put("beta_schedule", "scaled_linear").put("prediction_type", "epsilon").put("skip_prk_steps", true)
                .put("set_alpha_to_one", false).put("steps_offset", 1).put("clip_sample", false)
                .put("timestep_spacing", "leading");
    }

    private static void ints(ArrayNode array, int... values) {
        for (int v : values) {
            array.add(v);
        }
    }

    private static ModelConfig config(ObjectNode json) throws IOException {
        return ModelConfig.parse(JSON.writeValueAsString(json), NAME);
    }

    static void writeJson(Path file, Object json) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    }
}
