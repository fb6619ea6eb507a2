package dev.tuneforge.worker.engine.training;

import ai.djl.Device;
import dev.tuneforge.worker.engine.lora.LoraConfig;
import dev.tuneforge.worker.engine.lora.LoraInit;
import dev.tuneforge.worker.engine.training.data.DatasetOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a training run needs, with the platform's defaults (DESIGN §3: LoRA rank 32, alpha 16
 * on the UNet's and the text encoder's attention projections, AdamW lr 1e-4 each, cosine with 3
 * restarts after 100 warm-up steps, 200 steps, batch 2, 512 px, Min-SNR gamma 5, seed 1126). The
 * builder checks every field and names the one that is wrong.
 */
public final class TrainingConfig {

    private final Builder b;

    private TrainingConfig(Builder b) {
        this.b = b.copy();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values, to derive a variant. */
    public Builder toBuilder() {
        return b.copy();
    }

    public Path modelDir() {
        return b.modelDir;
    }

    public Path dataDir() {
        return b.dataDir;
    }

    public Path outputDir() {
        return b.outputDir;
    }

    public TrainingMethod method() {
        return b.method;
    }

    public LoraConfig unetLora() {
        return new LoraConfig(b.rank, b.alpha, b.loraDropout, b.loraInit, b.unetTargets);
    }

    /** The text encoder's LoRA, or null when the text encoder stays frozen (always with a full UNet fine-tune). */
    public LoraConfig textEncoderLora() {
        return b.trainTextEncoder && !b.fullFinetune ? new LoraConfig(b.rank, b.alpha, b.loraDropout, b.loraInit, b.textEncoderTargets) : null;
    }

    /** DreamBooth as a full UNet fine-tune (every UNet weight trained, no adapters) instead of LoRA. */
    public boolean fullFinetune() {
        return b.fullFinetune;
    }

    public double unetLr() {
        return b.unetLr;
    }

    public double textEncoderLr() {
        return b.textEncoderLr;
    }

    public LrSchedule lrSchedule() {
        return LrSchedule.builder(b.lrScheduler).warmupSteps(b.lrWarmupSteps).trainingSteps(b.maxSteps)
                .numCycles(b.lrCycles).power(b.lrPower).initialLr(b.unetLr).build();
    }

    public String lrScheduler() {
        return b.lrScheduler;
    }

    public int lrWarmupSteps() {
        return b.lrWarmupSteps;
    }

    public int maxSteps() {
        return b.maxSteps;
    }

    public int batchSize() {
        return b.batchSize;
    }

    public int gradientAccumulation() {
        return b.gradientAccumulation;
    }

    public int resolution() {
        return b.resolution;
    }

    public boolean centerCrop() {
        return b.centerCrop;
    }

    public boolean randomFlip() {
        return b.randomFlip;
    }

    /** The Min-SNR gamma, or null for the plain MSE. */
    public Float snrGamma() {
        return b.snrGamma;
    }

    /** The gradient-norm clip, or null for none. */
    public Double maxGradNorm() {
        return b.maxGradNorm;
    }

    public AdamW.Hyperparameters adam() {
        return b.adam;
    }

    /** "epsilon" or "v_prediction", or null for the model's scheduler's. */
    public String predictionType() {
        return b.predictionType;
    }

    public long seed() {
        return b.seed;
    }

    public boolean cacheLatents() {
        return b.cacheLatents;
    }

    /** Steps between checkpoints (0: only the final one). */
    public int checkpointEvery() {
        return b.checkpointEvery;
    }

    public int keepCheckpoints() {
        return b.keepCheckpoints;
    }

    /** Continue from the newest complete checkpoint in the output folder, if any. */
    public boolean resume() {
        return b.resume;
    }

    public List<String> validationPrompts() {
        return b.validationPrompts;
    }

    /** Steps between validation renders (0: none). */
    public int validationEvery() {
        return b.validationEvery;
    }

    public int validationSteps() {
        return b.validationSteps;
    }

    public float validationGuidance() {
        return b.validationGuidance;
    }

    public String instancePrompt() {
        return b.instancePrompt;
    }

    /** The DreamBooth class prompt; null disables prior preservation. */
    public String classPrompt() {
        return b.classPrompt;
    }

    public Path classDataDir() {
        return b.classDataDir;
    }

    public int numClassImages() {
        return b.numClassImages;
    }

    public double priorLossWeight() {
        return b.priorLossWeight;
    }

    public int classImageSteps() {
        return b.classImageSteps;
    }

    public boolean priorPreservation() {
        return b.method == TrainingMethod.DREAMBOOTH && b.classPrompt != null;
    }

    public int lossWindow() {
        return b.lossWindow;
    }

    /** The device to train on, or null for DJL's default. */
    public Device device() {
        return b.device;
    }

    public DatasetOptions datasetOptions() {
        return new DatasetOptions(b.resolution, b.method == TrainingMethod.LORA, b.skipBadFiles, b.rejectSmallImages);
    }

    /**
     * The settings a resumed run must share with the run that wrote the checkpoint (a different
     * value would make "resume" a different training), as strings. The step count may grow: the
     * schedule then follows the new total, as diffusers' scripts do.
     */
    public Map<String, String> fingerprint() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("method", b.method.configName());
        f.put("full_unet", Boolean.toString(b.fullFinetune));
        f.put("rank", Integer.toString(b.rank));
        f.put("alpha", Double.toString(b.alpha));
        f.put("unet_targets", b.unetTargets.toString());
        f.put("text_encoder_targets", b.trainTextEncoder ? b.textEncoderTargets.toString() : "none");
        f.put("unet_lr", Double.toString(b.unetLr));
        f.put("text_encoder_lr", Double.toString(b.textEncoderLr));
        f.put("lr_scheduler", b.lrScheduler + "/" + b.lrWarmupSteps + "/" + b.lrCycles + "/" + b.lrPower);
        f.put("batch_size", Integer.toString(b.batchSize));
        f.put("gradient_accumulation", Integer.toString(b.gradientAccumulation));
        f.put("resolution", Integer.toString(b.resolution));
        f.put("seed", Long.toString(b.seed));
        f.put("snr_gamma", String.valueOf(b.snrGamma));
        f.put("prediction_type", String.valueOf(b.predictionType));
        return f;
    }

    /** Collects the settings; {@link #build()} validates them. */
    public static final class Builder {

        private Path modelDir;
        private Path dataDir;
        private Path outputDir;
        private TrainingMethod method = TrainingMethod.LORA;
        private int rank = 32;
        private double alpha = 16;
        private double loraDropout;
        private LoraInit loraInit = LoraInit.GAUSSIAN;
        private List<String> unetTargets = LoraConfig.UNET_TARGETS;
        private List<String> textEncoderTargets = LoraConfig.TEXT_ENCODER_TARGETS;
        private boolean trainTextEncoder = true;
        private boolean fullFinetune;
        private double unetLr = 1e-4;
        private double textEncoderLr = 1e-4;
        private String lrScheduler = "cosine_with_restarts";
        private int lrWarmupSteps = 100;
        private int lrCycles = 3;
        private double lrPower = 1.0;
        private int maxSteps = 200;
        private int batchSize = 2;
        private int gradientAccumulation = 1;
        private int resolution = 512;
        private boolean centerCrop;
        private boolean randomFlip;
        private Float snrGamma = 5f;
        private Double maxGradNorm = 1.0;
        private AdamW.Hyperparameters adam = AdamW.Hyperparameters.defaults();
        private String predictionType;
        private long seed = 1126;
        private boolean cacheLatents;
        private int checkpointEvery;
        private int keepCheckpoints = 3;
        private boolean resume;
        private List<String> validationPrompts = List.of();
        private int validationEvery;
        private int validationSteps = 30;
        private float validationGuidance = 7.5f;
        private String instancePrompt;
        private String classPrompt;
        private Path classDataDir;
        private int numClassImages = 100;
        private double priorLossWeight = 1.0;
        private int classImageSteps = 30;
        private int lossWindow = 20;
        private boolean skipBadFiles;
        private boolean rejectSmallImages;
        private Device device;

        private Builder() {
        }

        private Builder copy() {
            Builder c = new Builder();
            c.modelDir = modelDir;
            c.dataDir = dataDir;
            c.outputDir = outputDir;
            c.method = method;
            c.rank = rank;
            c.alpha = alpha;
            c.loraDropout = loraDropout;
            c.loraInit = loraInit;
            c.unetTargets = unetTargets;
            c.textEncoderTargets = textEncoderTargets;
            c.trainTextEncoder = trainTextEncoder;
            c.fullFinetune = fullFinetune;
            c.unetLr = unetLr;
            c.textEncoderLr = textEncoderLr;
            c.lrScheduler = lrScheduler;
            c.lrWarmupSteps = lrWarmupSteps;
            c.lrCycles = lrCycles;
            c.lrPower = lrPower;
            c.maxSteps = maxSteps;
            c.batchSize = batchSize;
            c.gradientAccumulation = gradientAccumulation;
            c.resolution = resolution;
            c.centerCrop = centerCrop;
            c.randomFlip = randomFlip;
            c.snrGamma = snrGamma;
            c.maxGradNorm = maxGradNorm;
            c.adam = adam;
            c.predictionType = predictionType;
            c.seed = seed;
            c.cacheLatents = cacheLatents;
            c.checkpointEvery = checkpointEvery;
            c.keepCheckpoints = keepCheckpoints;
            c.resume = resume;
            c.validationPrompts = validationPrompts;
            c.validationEvery = validationEvery;
            c.validationSteps = validationSteps;
            c.validationGuidance = validationGuidance;
            c.instancePrompt = instancePrompt;
            c.classPrompt = classPrompt;
            c.classDataDir = classDataDir;
            c.numClassImages = numClassImages;
            c.priorLossWeight = priorLossWeight;
            c.classImageSteps = classImageSteps;
            c.lossWindow = lossWindow;
            c.skipBadFiles = skipBadFiles;
            c.rejectSmallImages = rejectSmallImages;
            c.device = device;
            return c;
        }

        /** The diffusers pipeline folder of the base model (model_index.json, unet/, vae/, ...). */
        public Builder modelDir(Path dir) {
            this.modelDir = dir;
            return this;
        }

        /** The training images (with captions for LoRA; DreamBooth's instance images). */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Where checkpoints ({@code checkpoints/step-N}), samples and the final weights ({@code final/}) go. */
        public Builder outputDir(Path dir) {
            this.outputDir = dir;
            return this;
        }

        public Builder method(TrainingMethod value) {
            this.method = value;
            return this;
        }

        public Builder rank(int value) {
            this.rank = value;
            return this;
        }

        public Builder alpha(double value) {
            this.alpha = value;
            return this;
        }

        public Builder loraDropout(double value) {
            this.loraDropout = value;
            return this;
        }

        public Builder loraInit(LoraInit value) {
            this.loraInit = value;
            return this;
        }

        public Builder unetTargets(List<String> value) {
            this.unetTargets = List.copyOf(value);
            return this;
        }

        public Builder textEncoderTargets(List<String> value) {
            this.textEncoderTargets = List.copyOf(value);
            return this;
        }

        public Builder trainTextEncoder(boolean value) {
            this.trainTextEncoder = value;
            return this;
        }

        /** DreamBooth only: train every UNet weight instead of LoRA adapters (the text encoder stays frozen). */
        public Builder fullFinetune(boolean value) {
            this.fullFinetune = value;
            return this;
        }

        public Builder unetLr(double value) {
            this.unetLr = value;
            return this;
        }

        public Builder textEncoderLr(double value) {
            this.textEncoderLr = value;
            return this;
        }

        /** A schedule name of diffusers' get_scheduler (constant, cosine_with_restarts, ...). */
        public Builder lrScheduler(String value) {
            this.lrScheduler = value;
            return this;
        }

        public Builder lrWarmupSteps(int value) {
            this.lrWarmupSteps = value;
            return this;
        }

        public Builder lrCycles(int value) {
            this.lrCycles = value;
            return this;
        }

        public Builder lrPower(double value) {
            this.lrPower = value;
            return this;
        }

        public Builder maxSteps(int value) {
            this.maxSteps = value;
            return this;
        }

        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        public Builder gradientAccumulation(int value) {
            this.gradientAccumulation = value;
            return this;
        }

        public Builder resolution(int value) {
            this.resolution = value;
            return this;
        }

        public Builder centerCrop(boolean value) {
            this.centerCrop = value;
            return this;
        }

        public Builder randomFlip(boolean value) {
            this.randomFlip = value;
            return this;
        }

        /** Min-SNR gamma; null trains on the plain MSE. */
        public Builder snrGamma(Float value) {
            this.snrGamma = value;
            return this;
        }

        /** Gradient-norm clip; null disables clipping. */
        public Builder maxGradNorm(Double value) {
            this.maxGradNorm = value;
            return this;
        }

        public Builder adam(AdamW.Hyperparameters value) {
            this.adam = value;
            return this;
        }

        public Builder predictionType(String value) {
            this.predictionType = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Keep each image's VAE latent distribution after its first encoding (the sample is still drawn per step). */
        public Builder cacheLatents(boolean value) {
            this.cacheLatents = value;
            return this;
        }

        public Builder checkpointEvery(int steps) {
            this.checkpointEvery = steps;
            return this;
        }

        public Builder keepCheckpoints(int count) {
            this.keepCheckpoints = count;
            return this;
        }

        public Builder resume(boolean value) {
            this.resume = value;
            return this;
        }

        public Builder validationPrompts(List<String> prompts) {
            this.validationPrompts = List.copyOf(prompts);
            return this;
        }

        public Builder validationEvery(int steps) {
            this.validationEvery = steps;
            return this;
        }

        public Builder validationSteps(int steps) {
            this.validationSteps = steps;
            return this;
        }

        public Builder validationGuidance(float scale) {
            this.validationGuidance = scale;
            return this;
        }

        /** DreamBooth: the prompt with the rare identifier, e.g. "a photo of sks person". */
        public Builder instancePrompt(String prompt) {
            this.instancePrompt = prompt;
            return this;
        }

        /** DreamBooth: the class prompt, e.g. "a photo of a person"; enables prior preservation. */
        public Builder classPrompt(String prompt) {
            this.classPrompt = prompt;
            return this;
        }

        /** DreamBooth: where class images are (and generated ones go); default {@code <output>/class_images}. */
        public Builder classDataDir(Path dir) {
            this.classDataDir = dir;
            return this;
        }

        public Builder numClassImages(int count) {
            this.numClassImages = count;
            return this;
        }

        public Builder priorLossWeight(double weight) {
            this.priorLossWeight = weight;
            return this;
        }

        /** Inference steps for generated class images. */
        public Builder classImageSteps(int steps) {
            this.classImageSteps = steps;
            return this;
        }

        /** How many step losses the moving average spans. */
        public Builder lossWindow(int steps) {
            this.lossWindow = steps;
            return this;
        }

        public Builder skipBadFiles(boolean value) {
            this.skipBadFiles = value;
            return this;
        }

        public Builder rejectSmallImages(boolean value) {
            this.rejectSmallImages = value;
            return this;
        }

        public Builder device(Device value) {
            this.device = value;
            return this;
        }

        public TrainingConfig build() {
            require(modelDir != null, "modelDir", "is required");
            require(dataDir != null, "dataDir", "is required");
            require(outputDir != null, "outputDir", "is required");
            require(method != null, "method", "is required");
            require(maxSteps >= 1, "maxSteps", "must be >= 1, got " + maxSteps);
            require(batchSize >= 1, "batchSize", "must be >= 1, got " + batchSize);
            require(gradientAccumulation >= 1, "gradientAccumulation", "must be >= 1, got " + gradientAccumulation);
            require(unetLr >= 0 && textEncoderLr >= 0, "learning rate", "must be >= 0");
            require(checkpointEvery >= 0, "checkpointEvery", "must be >= 0, got " + checkpointEvery);
            require(keepCheckpoints >= 1, "keepCheckpoints", "must be >= 1, got " + keepCheckpoints);
            require(validationEvery >= 0, "validationEvery", "must be >= 0, got " + validationEvery);
            require(validationEvery == 0 || !validationPrompts.isEmpty(), "validationPrompts",
                    "are required when validationEvery > 0");
            require(validationSteps >= 1, "validationSteps", "must be >= 1, got " + validationSteps);
            require(lossWindow >= 1, "lossWindow", "must be >= 1, got " + lossWindow);
            checkDreamBooth();
            new DatasetOptions(resolution, true, false, false);
            TrainingConfig config = new TrainingConfig(this);
            config.lrSchedule();
            config.unetLora();
            return config;
        }

        private void checkDreamBooth() {
            require(!fullFinetune || method == TrainingMethod.DREAMBOOTH, "fullFinetune",
                    "is a DreamBooth option; method is " + method.configName());
            if (method != TrainingMethod.DREAMBOOTH) {
                return;
            }
            require(instancePrompt != null && !instancePrompt.isBlank(), "instancePrompt", "is required for DreamBooth");
            if (classPrompt != null) {
                require(!classPrompt.isBlank(), "classPrompt", "must not be blank");
                require(numClassImages >= 1, "numClassImages", "must be >= 1, got " + numClassImages);
                require(priorLossWeight >= 0, "priorLossWeight", "must be >= 0, got " + priorLossWeight);
                require(classImageSteps >= 1, "classImageSteps", "must be >= 1, got " + classImageSteps);
            }
        }

        private static void require(boolean ok, String field, String problem) {
            if (!ok) {
                throw new IllegalArgumentException("training config: " + field + " " + problem);
            }
        }
    }
}
