package dev.tuneforge.worker.engine.pipeline;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.schedulers.NoiseSource;
import dev.tuneforge.worker.engine.schedulers.Scheduler;
import dev.tuneforge.worker.engine.schedulers.SchedulerFactory;
import dev.tuneforge.worker.engine.text.ClipTextModel;
import dev.tuneforge.worker.engine.text.ClipTokenizer;
import dev.tuneforge.worker.engine.text.TokenizedPrompt;
import dev.tuneforge.worker.engine.unet.UNet2DConditionModel;
import dev.tuneforge.worker.engine.vae.AutoencoderKL;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * diffusers' {@code StableDiffusionPipeline} for text-to-image: a diffusers model folder
 * ({@code model_index.json}, tokenizer, text_encoder, unet, vae, scheduler) loaded once, then
 * prompts to images with classifier-free guidance (unconditional and conditional rows in one UNet
 * batch). Generations run one at a time: the scheduler keeps state and the seeded noise comes from
 * libtorch's process-global generator.
 */
public final class StableDiffusionPipeline implements AutoCloseable {

    /** Every pipeline draws from the one global torch generator, so generations are serialised process-wide. */
    private static final Object GENERATION_LOCK = new Object();

    private static final Map<String, List<String>> SUPPORTED_COMPONENTS = Map.of(
            "tokenizer", List.of("CLIPTokenizer", "CLIPTokenizerFast"),
            "text_encoder", List.of("CLIPTextModel"),
            "unet", List.of("UNet2DConditionModel"),
            "vae", List.of("AutoencoderKL"));

    private final NDManager manager;
    private final ClipTokenizer tokenizer;
    private final ClipTextModel textEncoder;
    private final UNet2DConditionModel unet;
    private final AutoencoderKL vae;
    private final Scheduler scheduler;
    private final int defaultHeight;
    private final int defaultWidth;
    private final int vaeScaleFactor;

    private StableDiffusionPipeline(Builder b, NDManager manager) throws IOException {
        this.manager = manager;
        Path dir = b.modelDir;
        checkModelIndex(dir);
        this.tokenizer = ClipTokenizer.load(dir.resolve("tokenizer"));
        try {
            this.textEncoder = ClipTextModel.load(dir.resolve("text_encoder"), manager);
            this.unet = UNet2DConditionModel.load(dir.resolve("unet"), manager);
            this.vae = AutoencoderKL.load(dir.resolve("vae"), manager);
            this.scheduler = scheduler(b, dir);
        } catch (IOException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
        this.vaeScaleFactor = 1 << (vae.config().blockOutChannels().size() - 1);
        List<Integer> sampleSize = ModelConfig.read(dir.resolve("unet/config.json")).getIntList("sample_size");
        this.defaultHeight = sampleSize.get(0) * vaeScaleFactor;
        this.defaultWidth = sampleSize.get(sampleSize.size() - 1) * vaeScaleFactor;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The text encoder's last hidden state for {@code prompts}, {@code (prompts, tokens, dim)}, in {@code target}. */
    public NDArray encodePrompts(List<String> prompts, NDManager target) {
        return encode(tokenizer.encode(prompts), target);
    }

    /** Runs text-to-image for {@code request}. */
    public GenerationResult generate(GenerationRequest request) {
        synchronized (GENERATION_LOCK) {
            try (NDManager run = manager.newSubManager()) {
                return generate(request, run);
            } finally {
                scheduler.close();
            }
        }
    }

    /** The size in pixels a request without width/height gets, {@code [height, width]}. */
    public int[] defaultSize() {
        return new int[] {defaultHeight, defaultWidth};
    }

    public UNet2DConditionModel unet() {
        return unet;
    }

    /** The text encoder the prompts go through (e.g. to install LoRA adapters on it). */
    public ClipTextModel textEncoder() {
        return textEncoder;
    }

    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    /** The manager the model weights live in (and their device). */
    public NDManager manager() {
        return manager;
    }

    public AutoencoderKL vae() {
        return vae;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public void close() {
        scheduler.close();
        tokenizer.close();
        manager.close();
    }

    private GenerationResult generate(GenerationRequest request, NDManager run) {
        int height = request.height() == null ? defaultHeight : request.height();
        int width = request.width() == null ? defaultWidth : request.width();
        int images = request.prompts().size() * request.imagesPerPrompt();
        List<String> truncated = new ArrayList<>();
        NDArray context = textContext(request, run, truncated);

        scheduler.setTimesteps(request.steps());
        long seed = request.seed() == null ? new SecureRandom().nextLong() : request.seed();
        NoiseSource noise = new TorchNoise(seed);
        Shape latentShape = new Shape(images, unet.config().inChannels(), height / vaeScaleFactor,
                width / vaeScaleFactor);
        NDArray latents = startingLatents(request, latentShape, noise, run).mul(scheduler.initNoiseSigma());
        latents = denoise(request, latents, context, noise, run);

        NDArray decoded = vae.decode(latents.div(vae.scalingFactor()));
        float[] pixels = decoded.div(2f).add(0.5f).clip(0f, 1f).transpose(0, 2, 3, 1).toFloatArray();
        int outHeight = (int) decoded.getShape().get(2);
        int outWidth = (int) decoded.getShape().get(3);
        int perImage = outHeight * outWidth * 3;
        List<GeneratedImage> result = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            result.add(new GeneratedImage(outWidth, outHeight,
                    java.util.Arrays.copyOfRange(pixels, i * perImage, (i + 1) * perImage)));
        }
        return new GenerationResult(result, seed, truncated);
    }

    /** Text states of every image, unconditional rows first when guided: diffusers' prompt_embeds order. */
    private NDArray textContext(GenerationRequest request, NDManager run, List<String> truncated) {
        NDArray cond = repeatPerImage(encodeNoting(request.prompts(), run, truncated), request.imagesPerPrompt());
        if (!request.guided()) {
            return cond;
        }
        NDArray uncond = repeatPerImage(encodeNoting(request.negativePrompts(), run, truncated),
                request.imagesPerPrompt());
        return NDArrays.concat(new NDList(uncond, cond), 0);
    }

    private NDArray encodeNoting(List<String> prompts, NDManager run, List<String> truncated) {
        List<TokenizedPrompt> tokens = tokenizer.encode(prompts);
        for (int i = 0; i < prompts.size(); i++) {
            if (tokens.get(i).truncated() && !truncated.contains(prompts.get(i))) {
                truncated.add(prompts.get(i));
            }
        }
        return encode(tokens, run);
    }

    private NDArray encode(List<TokenizedPrompt> tokens, NDManager target) {
        long[] ids = tokens.stream().flatMapToLong(t -> java.util.Arrays.stream(t.ids())).toArray();
        try (NDManager sub = target.newSubManager()) {
            NDArray input = sub.create(ids, new Shape(tokens.size(), tokenizer.maxLength()));
            NDArray states = textEncoder.forward(input).lastHiddenState();
            states.attach(target);
            return states;
        }
    }

    private static NDArray repeatPerImage(NDArray states, int imagesPerPrompt) {
        if (imagesPerPrompt == 1) {
            return states;
        }
        Shape s = states.getShape();
        return states.expandDims(1).repeat(1, imagesPerPrompt).reshape(s.get(0) * imagesPerPrompt, s.get(1), s.get(2));
    }

    private NDArray startingLatents(GenerationRequest request, Shape shape, NoiseSource noise, NDManager run) {
        NDArray given = request.latents();
        if (given == null) {
            return noise.next(run, shape);
        }
        if (!given.getShape().equals(shape)) {
            throw new IllegalArgumentException("latents have shape " + given.getShape() + ", expected " + shape
                    + " for this size and batch");
        }
        NDArray copy = given.toType(DataType.FLOAT32, false).toDevice(run.getDevice(), true);
        copy.attach(run);
        return copy;
    }

    /** The denoising loop; every step runs in its own sub-manager so only the latents survive it. */
    private NDArray denoise(GenerationRequest request, NDArray start, NDArray context, NoiseSource noise,
                            NDManager run) {
        float[] timesteps = scheduler.timesteps();
        NDArray latents = start;
        for (int i = 0; i < timesteps.length; i++) {
            float t = timesteps[i];
            NDArray next;
            try (NDManager step = run.newSubManager()) {
                latents.tempAttach(step);
                NDArray modelInput = request.guided() ? NDArrays.concat(new NDList(latents, latents), 0) : latents;
                modelInput = scheduler.scaleModelInput(modelInput, t);
                NDArray prediction = unet.forward(modelInput, step.create(t), context);
                if (request.guided()) {
                    NDList halves = prediction.split(2, 0);
                    prediction = halves.get(0).add(halves.get(1).sub(halves.get(0)).mul(request.guidanceScale()));
                }
                next = scheduler.step(prediction, t, latents, noise).prevSample();
                if (request.callback() != null) {
                    request.callback().onStep(i, timesteps.length, t, next);
                }
                next.attach(run);
            }
            latents.close();
            latents = next;
        }
        return latents;
    }

    private static void checkModelIndex(Path dir) throws IOException {
        Path index = dir.resolve("model_index.json");
        if (!Files.isRegularFile(index)) {
            throw new IOException(dir + " is not a diffusers pipeline folder: no model_index.json");
        }
        ModelConfig config = ModelConfig.read(index);
        for (Map.Entry<String, List<String>> component : SUPPORTED_COMPONENTS.entrySet()) {
            String key = component.getKey();
            List<String> entry = config.has(key) ? config.getStringList(key) : List.of();
            String className = entry.size() == 2 ? entry.get(1) : null;
            if (!component.getValue().contains(className)) {
                throw new IllegalArgumentException("model_index.json in " + dir + ": component '" + key + "' is "
                        + entry + ", supported: " + component.getValue());
            }
        }
    }

    private static Scheduler scheduler(Builder b, Path dir) throws IOException {
        if (b.schedulerConfig != null) {
            return SchedulerFactory.fromConfig(b.schedulerConfig);
        }
        ModelConfig base = ModelConfig.read(dir.resolve("scheduler/scheduler_config.json"));
        return b.schedulerName == null ? SchedulerFactory.fromConfig(base) : SchedulerFactory.create(b.schedulerName, base);
    }

    /** Configures a pipeline; only the model folder is required. */
    public static final class Builder {

        private Path modelDir;
        private String schedulerName;
        private Path schedulerConfig;
        private Device device;

        private Builder() {
        }

        /** The diffusers pipeline folder (with model_index.json). */
        public Builder setModelDir(Path dir) {
            this.modelDir = dir;
            return this;
        }

        /**
         * A scheduler by short name ({@link SchedulerFactory#names()}), set up from the model's
         * scheduler config as diffusers' {@code from_config} does; default: the model's own scheduler.
         */
        public Builder optScheduler(String name) {
            this.schedulerName = name;
            return this;
        }

        /** A complete {@code scheduler_config.json} to use instead of the model's. */
        public Builder optSchedulerConfig(Path schedulerConfigJson) {
            this.schedulerConfig = schedulerConfigJson;
            return this;
        }

        /** Where the weights live and the networks run; default: DJL's default device. */
        public Builder optDevice(Device target) {
            this.device = target;
            return this;
        }

        public StableDiffusionPipeline build() throws IOException {
            if (modelDir == null) {
                throw new IllegalArgumentException("setModelDir is required");
            }
            if (schedulerName != null && schedulerConfig != null) {
                throw new IllegalArgumentException("give a scheduler name or a scheduler config, not both");
            }
            NDManager manager = NDManager.newBaseManager(device == null ? Engine.getEngine("PyTorch").defaultDevice() : device, "PyTorch");
            try {
                return new StableDiffusionPipeline(this, manager);
            } catch (IOException | RuntimeException e) {
                manager.close();
                throw e;
            }
        }
    }
}
