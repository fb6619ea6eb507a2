package dev.tuneforge.worker.engine.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.nn.Layer;
import dev.tuneforge.worker.engine.unet.AttentionSlicing;
import dev.tuneforge.worker.engine.unet.ModuleFactory;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import dev.tuneforge.worker.engine.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Native port of diffusers' {@code AutoencoderKL}: images in [-1, 1] to a latent distribution
 * ({@code encoder} + {@code quant_conv}) and latents back to images ({@code post_quant_conv} +
 * {@code decoder}), with module names that map 1:1 to the diffusers state-dict keys. Latents are
 * unscaled here: pipelines multiply by {@link #scalingFactor()} after encoding and divide before
 * decoding. Each call runs in its own sub-manager of the input's manager.
 */
public final class AutoencoderKL {

    private final VaeConfig config;
    private final AttentionSlicing slicing = new AttentionSlicing(false);
    private final Encoder encoder;
    private final Decoder decoder;
    private final Layer quantConv;
    private final Layer postQuantConv;

    private AutoencoderKL(VaeConfig config, ModuleFactory factory) {
        this.config = config;
        this.encoder = new Encoder(factory.prefixed("encoder"), config, slicing);
        this.decoder = new Decoder(factory.prefixed("decoder"), config, slicing);
        long moments = 2L * config.latentChannels();
        this.quantConv = config.useQuantConv() ? factory.conv("quant_conv", moments, moments, 1, 1, 0) : null;
        this.postQuantConv = config.usePostQuantConv()
                ? factory.conv("post_quant_conv", config.latentChannels(), config.latentChannels(), 1, 1, 0) : null;
    }

    /** Loads a diffusers model folder ({@code config.json} + safetensors) into {@code manager}. */
    public static AutoencoderKL load(Path dir, NDManager manager) throws IOException {
        ModelConfig config = ModelConfig.read(dir.resolve("config.json"));
        try (Weights weights = Weights.openDir(dir, manager)) {
            return load(config, weights);
        }
    }

    /** Builds the model {@code config} describes from {@code weights} (a root view). */
    public static AutoencoderKL load(ModelConfig config, Weights weights) {
        ModuleFactory factory = ModuleFactory.of(weights);
        AutoencoderKL model = new AutoencoderKL(VaeConfig.from(config), factory);
        factory.requireAllUsed("VAE weights for " + config.source());
        return model;
    }

    /** The model {@code config} describes with seeded random weights (torch's default init) in {@code manager}. */
    public static AutoencoderKL randomInit(ModelConfig config, NDManager manager, long seed) {
        return new AutoencoderKL(VaeConfig.from(config), ModuleFactory.random(manager, seed));
    }

    public VaeConfig config() {
        return config;
    }

    /** The latent scale of the config ({@code scaling_factor}, 0.18215 for SD 1.x). */
    public float scalingFactor() {
        return config.scalingFactor();
    }

    /** The attention slicing policy of the mid blocks' attention; change it between calls. */
    public AttentionSlicing attentionSlicing() {
        return slicing;
    }

    /** The encoder's moments, {@code (B, 2·latent, H/f, W/f)}: mean channels, then log-variance channels. */
    public NDArray moments(NDArray image) {
        checkChannels(image, config.inChannels(), "image");
        return inStep(image, x -> {
            NDArray h = encoder.forward(x);
            return quantConv == null ? h : quantConv.forward(h);
        });
    }

    /** Encodes images {@code (B, in_channels, H, W)} in [-1, 1] to their latent distribution. */
    public LatentDistribution encode(NDArray image) {
        return LatentDistribution.fromMoments(moments(image));
    }

    /** Decodes unscaled latents {@code (B, latent_channels, h, w)} to images, roughly in [-1, 1]. */
    public NDArray decode(NDArray latents) {
        checkChannels(latents, config.latentChannels(), "latents");
        return inStep(latents, z -> decoder.forward(postQuantConv(z)));
    }

    /** {@code post_quant_conv} alone (identity when the config has none), for locating decode mismatches. */
    public NDArray postQuantConv(NDArray latents) {
        return postQuantConv == null ? latents : postQuantConv.forward(latents);
    }

    private static NDArray inStep(NDArray input, Function<NDArray, NDArray> body) {
        NDManager caller = input.getManager();
        try (NDManager step = caller.newSubManager()) {
            input.tempAttach(step);
            NDArray out = body.apply(input);
            out.attach(caller);
            return out;
        }
    }

    private static void checkChannels(NDArray x, int channels, String what) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != channels) {
            throw new IllegalArgumentException("VAE " + what + " must be (B, " + channels + ", H, W), got " + s);
        }
    }
}
