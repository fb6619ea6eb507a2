package dev.tuneforge.worker.engine.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneforge.worker.engine.nn.Scalars;
import dev.tuneforge.worker.engine.pipeline.GeneratedImage;
import dev.tuneforge.worker.engine.pipeline.GenerationRequest;
import dev.tuneforge.worker.engine.pipeline.StableDiffusionPipeline;
import dev.tuneforge.worker.engine.schedulers.Scheduler;
import dev.tuneforge.worker.engine.schedulers.SchedulerFactory;
import dev.tuneforge.worker.engine.text.TokenizedPrompt;
import dev.tuneforge.worker.engine.training.data.ImageCaptionDataset;
import dev.tuneforge.worker.engine.training.data.TrainTransform;
import dev.tuneforge.worker.engine.vae.LatentDistribution;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import dev.tuneforge.worker.engine.weights.SafeTensorsFile;
import dev.tuneforge.worker.engine.weights.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A fine-tuning run as diffusers' {@code train_text_to_image_lora.py} and
 * {@code train_dreambooth_lora.py} do it: per optimizer step and accumulated micro-batch, VAE
 * latents (sampled), noise and random timesteps, {@code add_noise}, the UNet's prediction against
 * the epsilon or velocity target with Min-SNR weighting (and the prior-preservation loss), backward;
 * then gradient clipping, AdamW at the scheduled learning rates, zeroed gradients. Every step runs in
 * its own sub-manager. Checkpoints, validation renders and progress go through a
 * {@link TrainingListener}; a NaN or infinite loss stops the run and leaves the checkpoints as they
 * are.
 *
 * <p>All randomness is seeded from (seed, position): see {@link Seeds}. With the same config a run
 * is deterministic, and one resumed from a checkpoint ends with the weights of an uninterrupted run.
 * Only one run per process trains at a time (DJL allows one gradient collector).
 */
public final class Trainer implements AutoCloseable {

    static final String OPTIMIZER_FILE = "optimizer.safetensors";
    static final String STATE_FILE = "state.json";
    private static final String OPTIMIZER_STEPS = "steps";
    private static final long NOISE = 0x4E4F495345L;
    private static final long VALIDATION = 0x56414CL;
    private static final int SPEED_WINDOW = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainingConfig config;
    private final TrainingListener listener;
    private final StableDiffusionPipeline pipeline;
    private final Scheduler noiseScheduler;
    private final DenoisingLoss loss;
    private final TrainingData data;
    private final LatentEncoder latentEncoder;
    private final CheckpointStore checkpoints;
    private final LrSchedule schedule;
    private final LossWindow window;
    private final Trainables trainables;
    private final AdamW optimizer;
    private final Deque<double[]> speed = new ArrayDeque<>();
    private final Set<String> truncatedPrompts = new HashSet<>();
    private int step;
    private int resumedFrom;
    private int lastCheckpoint;

    private Trainer(TrainingConfig config, TrainingListener listener, StableDiffusionPipeline pipeline) throws IOException {
        this.config = config;
        this.listener = listener;
        this.pipeline = pipeline;
        this.noiseScheduler = SchedulerFactory.create("ddpm",
                ModelConfig.read(config.modelDir().resolve("scheduler/scheduler_config.json")));
        DiffusionObjective objective = new DiffusionObjective(noiseScheduler, config.predictionType(), config.snrGamma());
        this.loss = new DenoisingLoss(pipeline.unet(), noiseScheduler, objective, config.priorLossWeight());
        this.data = loadData();
        this.latentEncoder = new LatentEncoder(pipeline.vae(), config.cacheLatents(), pipeline.manager());
        this.checkpoints = new CheckpointStore(config.outputDir().resolve("checkpoints"), config.keepCheckpoints());
        this.schedule = config.lrSchedule();
        this.window = new LossWindow(config.lossWindow());
        Optional<CheckpointStore.Checkpoint> from = config.resume() ? checkpoints.latest(listener::onWarning)
                : Optional.empty();
        this.trainables = openTrainables(from);
        this.optimizer = new AdamW(trainables.groups(), config.adam());
        if (from.isPresent()) {
            restore(from.get());
        }
    }

    /** The adapters (or the whole UNet) to train: fresh, or as a checkpoint saved them. */
    private Trainables openTrainables(Optional<CheckpointStore.Checkpoint> from) throws IOException {
        if (config.fullFinetune()) {
            return from.isPresent()
                    ? UnetTrainables.restore(pipeline, config, from.get().file(UnetTrainables.CHECKPOINT_FILE))
                    : UnetTrainables.create(pipeline, config);
        }
        return from.isPresent()
                ? LoraTrainables.restore(pipeline, config, from.get().file(LoraTrainables.CHECKPOINT_FILE))
                : LoraTrainables.create(pipeline, config);
    }

    /** Loads the base model and the data (generating DreamBooth class images if needed), resuming if asked. */
    public static Trainer create(TrainingConfig config, TrainingListener listener) throws IOException {
        StableDiffusionPipeline pipeline = StableDiffusionPipeline.builder().setModelDir(config.modelDir())
                .optDevice(config.device()).build();
        try {
            return new Trainer(config, listener, pipeline);
        } catch (IOException | RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    /** The pipeline being trained (its UNet and text encoder carry the adapters). */
    public StableDiffusionPipeline pipeline() {
        return pipeline;
    }

    /** Optimizer steps done so far. */
    public int step() {
        return step;
    }

    /** Trains up to the configured steps, or until the listener asks to stop. */
    public TrainingResult train() throws IOException {
        Files.createDirectories(config.outputDir());
        trainables.setTraining(true);
        while (step < config.maxSteps()) {
            long started = System.nanoTime();
            StepOutcome outcome = optimizerStep();
            step++;
            report(outcome, (System.nanoTime() - started) / 1e9);
            boolean stop = step < config.maxSteps() && listener.stopRequested();
            if (stop || (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0)) {
                writeCheckpoint();
            }
            if (config.validationEvery() > 0 && step % config.validationEvery() == 0) {
                validate();
            }
            if (stop) {
                return new TrainingResult(step, resumedFrom, true, null, window.average());
            }
        }
        if (config.checkpointEvery() > 0 && lastCheckpoint != step) {
            writeCheckpoint();
        }
        Path finalDir = config.outputDir().resolve("final");
        Files.createDirectories(finalDir);
        trainables.writeFinal(finalDir);
        return new TrainingResult(step, resumedFrom, false, finalDir, window.average());
    }

    private record StepOutcome(double loss, float gradNorm, double lrFactor, int images) {
    }

    private StepOutcome optimizerStep() {
        int accumulation = config.gradientAccumulation();
        double lossSum = 0;
        int images = 0;
        for (int micro = 0; micro < accumulation; micro++) {
            long microStep = (long) step * accumulation + micro;
            TrainingData.Batch batch = data.batch(microStep);
            images += batch.rows().size();
            try (NDManager m = pipeline.manager().newSubManager()) {
                lossSum += microStep(microStep, batch, m, accumulation);
            }
        }
        List<NDArray> parameters = optimizer.parameters();
        // Checked with or without clipping: one non-finite gradient would poison every later checkpoint.
        float norm = config.maxGradNorm() == null ? GradientClipping.totalNorm(parameters, pipeline.manager())
                : GradientClipping.clipGradNorm(parameters, config.maxGradNorm(), pipeline.manager());
        if (!Float.isFinite(norm)) {
            throw new NonFiniteLossException("the gradient norm", norm, step + 1, lastCheckpoint);
        }
        double factor = schedule.factor(step);
        optimizer.step(factor);
        Gradients.zero(parameters);
        return new StepOutcome(lossSum / accumulation, norm, factor, images);
    }

    /** Forward and backward of one micro-batch; returns its loss. */
    private float microStep(long microStep, TrainingData.Batch batch, NDManager m, int accumulation) {
        LatentDistribution distribution;
        try (NoGrad noGrad = new NoGrad()) {
            distribution = latentEncoder.encode(batch.rows(), data.resolution(), m);
        }
        Shape shape = distribution.mean().getShape();
        JniUtils.setSeed(Seeds.derive(config.seed(), NOISE, microStep));
        NDArray sampleNoise = cpuDraw(m, cpu -> cpu.randomNormal(shape));
        NDArray noise = cpuDraw(m, cpu -> cpu.randomNormal(shape));
        long[] timesteps = cpuDraw(m, cpu -> cpu.randomInteger(0, noiseScheduler.numTrainTimesteps(),
                new Shape(shape.get(0)), DataType.INT64)).toLongArray();
        NDArray latents = distribution.sample(sampleNoise).mul(pipeline.vae().scalingFactor());
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray context = encodeText(batch.prompts(), m);
            DenoisingLoss.Result result = loss.compute(latents, noise, timesteps, context, batch.priorRows());
            float value = result.loss().getFloat();
            if (!Float.isFinite(value)) {
                throw new NonFiniteLossException("the loss", value, step + 1, lastCheckpoint);
            }
            NDArray scaled = accumulation == 1 ? result.loss() : result.loss().div(Scalars.like(result.loss(), accumulation));
            collector.backward(scaled);
            return value;
        }
    }

    /** Draws on libtorch's CPU generator (so a seed gives the same values on any device), then moves to {@code m}. */
    private static NDArray cpuDraw(NDManager m, java.util.function.Function<NDManager, NDArray> draw) {
        try (NDManager cpu = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray drawn = draw.apply(cpu).toDevice(m.getDevice(), true);
            drawn.attach(m);
            return drawn;
        }
    }

    private NDArray encodeText(List<String> prompts, NDManager m) {
        List<TokenizedPrompt> tokens = pipeline.tokenizer().encode(prompts);
        long[] ids = new long[tokens.size() * pipeline.tokenizer().maxLength()];
        for (int i = 0; i < tokens.size(); i++) {
            System.arraycopy(tokens.get(i).ids(), 0, ids, i * pipeline.tokenizer().maxLength(),
                    pipeline.tokenizer().maxLength());
            if (tokens.get(i).truncated() && truncatedPrompts.add(prompts.get(i))) {
                listener.onWarning("caption truncated to the text encoder's " + pipeline.tokenizer().maxLength()
                        + " tokens: " + prompts.get(i));
            }
        }
        NDArray input = m.create(ids, new Shape(tokens.size(), pipeline.tokenizer().maxLength()));
        return pipeline.textEncoder().forward(input).lastHiddenState();
    }

    private void report(StepOutcome outcome, double seconds) {
        double average = window.add(outcome.loss());
        speed.addLast(new double[] {seconds, outcome.images()});
        if (speed.size() > SPEED_WINDOW) {
            speed.removeFirst();
        }
        double totalSeconds = speed.stream().mapToDouble(s -> s[0]).sum();
        double totalImages = speed.stream().mapToDouble(s -> s[1]).sum();
        Duration eta = Duration.ofMillis(Math.round(totalSeconds / speed.size() * (config.maxSteps() - step) * 1000));
        double textLr = config.textEncoderLora() == null ? Double.NaN : config.textEncoderLr() * outcome.lrFactor();
        listener.onStep(new StepProgress(step, config.maxSteps(), outcome.loss(), average,
                config.unetLr() * outcome.lrFactor(), textLr, outcome.gradNorm(), totalImages / totalSeconds, eta));
    }

    private void writeCheckpoint() throws IOException {
        Map<String, CheckpointStore.FileWriter> files = new LinkedHashMap<>(trainables.checkpointFiles());
        files.put(OPTIMIZER_FILE, this::writeOptimizer);
        files.put(STATE_FILE, target -> JSON.writerWithDefaultPrettyPrinter().writeValue(target.toFile(), state()));
        CheckpointStore.Checkpoint written = checkpoints.write(step, files);
        lastCheckpoint = step;
        listener.onCheckpoint(step, written.dir());
    }

    private void writeOptimizer(Path target) throws IOException {
        Map<String, String> metadata = Map.of(OPTIMIZER_STEPS, JSON.writeValueAsString(optimizer.stepCounts()));
        SafeTensorsWriter.write(target, optimizer.stateTensors(), metadata);
    }

    /** Everything besides the weights a resume needs, and what it must check. */
    private ObjectNode state() {
        ObjectNode state = JSON.createObjectNode();
        state.put("step", step);
        ObjectNode rng = state.putObject("rng");
        rng.put("seed", config.seed());
        rng.put("next_micro_step", (long) step * config.gradientAccumulation());
        ObjectNode lr = state.putObject("lr_schedule");
        lr.put("name", schedule.kind().configName());
        lr.put("last_epoch", step);
        lr.put("next_factor", schedule.factor(step));
        ObjectNode baseLrs = lr.putObject("base_lrs");
        optimizer.groups().forEach(g -> baseLrs.put(g.name(), g.lr()));
        long nextMicroStep = (long) step * config.gradientAccumulation();
        ObjectNode order = state.putObject("data_order");
        order.putPOJO("examples", data.exampleNames());
        order.put("epoch", data.plan().epochOf(nextMicroStep));
        order.put("position", data.plan().positionOf(nextMicroStep));
        order.putPOJO("epoch_order", data.order(data.plan().epochOf(nextMicroStep)));
        state.putPOJO("loss_window", window.values());
        state.putPOJO("config", config.fingerprint());
        return state;
    }

    private void restore(CheckpointStore.Checkpoint checkpoint) throws IOException {
        JsonNode state = JSON.readTree(checkpoint.file(STATE_FILE).toFile());
        Map<String, String> saved = JSON.convertValue(state.path("config"), JSON.getTypeFactory()
                .constructMapType(LinkedHashMap.class, String.class, String.class));
        List<String> changed = new ArrayList<>();
        config.fingerprint().forEach((key, value) -> {
            if (!value.equals(saved.get(key))) {
                changed.add(key + " (checkpoint " + saved.get(key) + ", now " + value + ")");
            }
        });
        if (!changed.isEmpty()) {
            throw new IllegalArgumentException("cannot resume from " + checkpoint.dir() + ": settings changed: " + changed);
        }
        List<String> examples = JSON.convertValue(state.path("data_order").path("examples"),
                JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        if (!examples.equals(data.exampleNames())) {
            throw new IllegalArgumentException("cannot resume from " + checkpoint.dir() + ": the dataset changed ("
                    + examples.size() + " images then, " + data.exampleNames().size() + " now)");
        }
        restoreOptimizer(checkpoint.file(OPTIMIZER_FILE));
        step = state.path("step").asInt();
        List<Double> losses = new ArrayList<>();
        state.path("loss_window").forEach(n -> losses.add(n.asDouble()));
        window.restore(losses);
        resumedFrom = step;
        lastCheckpoint = step;
    }

    private void restoreOptimizer(Path file) throws IOException {
        try (SafeTensorsFile in = SafeTensorsFile.open(file); NDManager scratch = pipeline.manager().newSubManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (String name : in.names()) {
                tensors.put(name, in.load(name, scratch));
            }
            Map<String, Long> steps = JSON.readValue(in.metadata().get(OPTIMIZER_STEPS),
                    JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Long.class));
            optimizer.loadState(tensors, steps);
        }
    }

    private void validate() throws IOException {
        Path dir = config.outputDir().resolve("samples").resolve("step-" + step);
        Files.createDirectories(dir);
        GenerationRequest request = GenerationRequest.builder().setPrompts(config.validationPrompts())
                .optSteps(config.validationSteps()).optGuidanceScale(config.validationGuidance())
                .optSize(config.resolution(), config.resolution()).optSeed(Seeds.derive(config.seed(), VALIDATION))
                .build();
        List<GeneratedImage> images;
        trainables.setTraining(false);
        try (NoGrad noGrad = new NoGrad()) {
            images = pipeline.generate(request).images();
        } finally {
            trainables.setTraining(true);
        }
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Path file = dir.resolve(i + ".png");
            images.get(i).writePng(file);
            files.add(file);
        }
        listener.onValidation(step, config.validationPrompts(), files);
    }

    private TrainingData loadData() throws IOException {
        TrainTransform transform = new TrainTransform(config.resolution(), config.centerCrop(), config.randomFlip());
        ImageCaptionDataset instances = ImageCaptionDataset.load(config.dataDir(), config.datasetOptions(), transform,
                listener::onWarning);
        if (config.method() == TrainingMethod.LORA) {
            return new TrainingData(instances, null, null, null, transform, config.batchSize(), config.seed());
        }
        ImageCaptionDataset classes = null;
        if (config.priorPreservation()) {
            Path classDir = config.classDataDir() != null ? config.classDataDir()
                    : config.outputDir().resolve("class_images");
            ClassImages.ensure(classDir, config.numClassImages(), config.classPrompt(), pipeline,
                    config.classImageSteps(), config.resolution(), config.seed(), listener);
            classes = ImageCaptionDataset.load(classDir, config.datasetOptions(), transform, listener::onWarning);
        }
        return new TrainingData(instances, config.instancePrompt(), classes, config.classPrompt(), transform,
                config.batchSize(), config.seed());
    }

    @Override
    public void close() {
        trainables.close();
        optimizer.close();
        latentEncoder.close();
        noiseScheduler.close();
        pipeline.close();
    }
}
