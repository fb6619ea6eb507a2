package dev.tuneforge.worker.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.tuneforge.worker.engine.lora.LoraComponent;
import dev.tuneforge.worker.engine.lora.LoraFiles;
import dev.tuneforge.worker.engine.lora.LoraModuleWeights;
import dev.tuneforge.worker.engine.lora.LoraNetwork;
import dev.tuneforge.worker.engine.pipeline.GeneratedImage;
import dev.tuneforge.worker.engine.pipeline.GenerationRequest;
import dev.tuneforge.worker.engine.pipeline.StableDiffusionPipeline;
import dev.tuneforge.worker.engine.testing.Goldens;
import dev.tuneforge.worker.engine.testing.Tensors;
import dev.tuneforge.worker.engine.weights.SafeTensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs on {@code goldens/sd_pipeline} over a small generated dataset. */
class TrainerTest {

    private static Path model;
    private static int resolution;

    @BeforeAll
    static void model() throws IOException {
        model = Goldens.dir("sd_pipeline");
        try (StableDiffusionPipeline pipeline = StableDiffusionPipeline.builder().setModelDir(model).build()) {
            resolution = pipeline.defaultSize()[0];
        }
    }

    /** Records what the trainer reports. */
    static final class Recorder implements TrainingListener {
        final List<StepProgress> steps = new ArrayList<>();
        final List<Integer> checkpoints = new ArrayList<>();
        final List<List<Path>> validations = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        int stopAt = -1;

        @Override
        public void onStep(StepProgress progress) {
            steps.add(progress);
        }

        @Override
        public void onCheckpoint(int step, Path dir) {
            checkpoints.add(step);
        }

        @Override
        public void onValidation(int step, List<String> prompts, List<Path> images) {
            validations.add(images);
        }

        @Override
        public void onWarning(String message) {
            warnings.add(message);
        }

        @Override
        public boolean stopRequested() {
            return !steps.isEmpty() && steps.get(steps.size() - 1).step() == stopAt;
        }
    }

    private static TrainingConfig.Builder base(Path data, Path out) {
        return TrainingConfig.builder().modelDir(model).dataDir(data).outputDir(out).resolution(resolution)
                .rank(4).alpha(4).batchSize(2).lrScheduler("constant").lrWarmupSteps(0).seed(1126);
    }

    @Test
    void sixtyStepsLowerTheMovingAverageLossAndTheSavedLoraReproducesTheTrainedModel(@TempDir Path dir)
            throws IOException {
        Path data = TrainingDatasets.shapes(dir.resolve("data"), 4, resolution + resolution / 4, resolution);
        TrainingConfig config = base(data, dir.resolve("out")).maxSteps(60).unetLr(1e-3).textEncoderLr(1e-3)
                .lossWindow(20).randomFlip(true).cacheLatents(true).build();
        Recorder recorder = new Recorder();
        try (Trainer trainer = Trainer.create(config, recorder)) {
            TrainingResult result = trainer.train();
            assertThat(result.steps()).isEqualTo(60);
            assertThat(recorder.steps).hasSize(60);
            double early = recorder.steps.get(19).averageLoss();
            double late = recorder.steps.get(59).averageLoss();
            System.out.printf("moving-average loss: step 20 %.4f, step 60 %.4f%n", early, late);
            assertThat(late).as("moving-average loss at step 60 vs step 20").isLessThan(early);
            StepProgress last = recorder.steps.get(59);
            assertThat(last.unetLr()).isEqualTo(1e-3);
            assertThat(last.imagesPerSecond()).isPositive();
            assertThat(last.gradNorm()).isPositive();
            List<GeneratedImage> trained = render(trainer.pipeline());
            assertThat(result.finalDir().resolve("pytorch_lora_weights.safetensors")).exists();
            assertThat(result.finalDir().resolve("lora_kohya.safetensors")).exists();
            for (String file : List.of("pytorch_lora_weights.safetensors", "lora_kohya.safetensors")) {
                try (StableDiffusionPipeline fresh = StableDiffusionPipeline.builder().setModelDir(model).build()) {
                    List<LoraNetwork> loaded = install(fresh, result.finalDir().resolve(file));
                    List<GeneratedImage> reloaded = render(fresh);
                    for (int i = 0; i < trained.size(); i++) {
                        assertThat(maxDiff(reloaded.get(i), trained.get(i))).as(file + " image " + i).isLessThan(1e-5);
                    }
                    loaded.forEach(LoraNetwork::close);
                }
            }
        }
    }

    @Test
    void resumingFromACheckpointEndsWithTheWeightsOfAnUninterruptedRun(@TempDir Path dir) throws IOException {
        Path data = TrainingDatasets.shapes(dir.resolve("data"), 3, resolution, resolution + 8);
        TrainingConfig.Builder builder = base(data, dir.resolve("straight")).maxSteps(6).gradientAccumulation(2)
                .checkpointEvery(2).keepCheckpoints(2).loraDropout(0.1).randomFlip(true).cacheLatents(true)
                .unetLr(1e-3).lrScheduler("cosine").lrWarmupSteps(2);
        Path straight;
        try (Trainer trainer = Trainer.create(builder.build(), new Recorder())) {
            straight = trainer.train().finalDir();
        }
        Path resumedOut = dir.resolve("resumed");
        Recorder first = new Recorder();
        first.stopAt = 3;
        try (Trainer trainer = Trainer.create(builder.outputDir(resumedOut).build(), first)) {
            TrainingResult stopped = trainer.train();
            assertThat(stopped.stopped()).isTrue();
            assertThat(stopped.steps()).isEqualTo(3);
        }
        assertThat(first.checkpoints).containsExactly(2, 3);
        Recorder second = new Recorder();
        Path resumed;
        try (Trainer trainer = Trainer.create(builder.resume(true).build(), second)) {
            TrainingResult result = trainer.train();
            assertThat(result.resumedFrom()).isEqualTo(3);
            assertThat(second.steps).extracting(StepProgress::step).containsExactly(4, 5, 6);
            resumed = result.finalDir();
        }
        assertSameTensors(straight.resolve("lora_kohya.safetensors"), resumed.resolve("lora_kohya.safetensors"));
        assertThat(new CheckpointStore(resumedOut.resolve("checkpoints"), 2).complete())
                .extracting(CheckpointStore.Checkpoint::step).containsExactly(6, 4);
    }

    @Test
    void aNonFiniteLossStopsTrainingAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws IOException {
        Path data = TrainingDatasets.shapes(dir.resolve("data"), 2, resolution, resolution);
        TrainingConfig config = base(data, dir.resolve("out")).maxSteps(10).checkpointEvery(1).unetLr(1e30)
                .maxGradNorm(null).snrGamma(null).build();
        Recorder recorder = new Recorder();
        try (Trainer trainer = Trainer.create(config, recorder)) {
            assertThatThrownBy(trainer::train).isInstanceOf(NonFiniteLossException.class)
                    .hasMessageContaining("last good checkpoint is step");
        }
        List<CheckpointStore.Checkpoint> kept = new CheckpointStore(dir.resolve("out/checkpoints"), 3).complete();
        assertThat(kept).isNotEmpty();
        assertThat(kept.get(0).step()).isEqualTo(recorder.checkpoints.get(recorder.checkpoints.size() - 1));
        assertThat(Files.exists(dir.resolve("out/final"))).isFalse();
    }

    @Test
    void dreamBoothWithPriorPreservationGeneratesClassImagesAndRendersValidations(@TempDir Path dir) throws IOException {
        Path instances = TrainingDatasets.shapes(dir.resolve("instances"), 2, resolution, resolution);
        try (var captions = Files.newDirectoryStream(instances, "*.txt")) {
            for (Path caption : captions) {
                Files.delete(caption);
            }
        }
        TrainingConfig config = base(instances, dir.resolve("out")).method(TrainingMethod.DREAMBOOTH)
                .instancePrompt("a photo of sks shape").classPrompt("a photo of a shape").numClassImages(3)
                .classImageSteps(2).priorLossWeight(1.0).trainTextEncoder(false).maxSteps(2)
                .validationPrompts(List.of("a photo of sks shape")).validationEvery(2).validationSteps(2).build();
        Recorder recorder = new Recorder();
        try (Trainer trainer = Trainer.create(config, recorder)) {
            TrainingResult result = trainer.train();
            assertThat(result.steps()).isEqualTo(2);
            assertThat(result.finalDir().resolve("pytorch_lora_weights.safetensors")).exists();
        }
        try (var classImages = Files.list(dir.resolve("out/class_images"))) {
            assertThat(classImages.filter(p -> p.toString().endsWith(".png")).count()).isEqualTo(3);
        }
        assertThat(recorder.warnings).anyMatch(w -> w.contains("generating 3 class images"));
        assertThat(recorder.validations).singleElement().satisfies(images -> assertThat(images).singleElement()
                .satisfies(image -> assertThat(image).exists().hasParent(dir.resolve("out/samples/step-2"))));
        assertThat(recorder.steps).allMatch(s -> Double.isNaN(s.textEncoderLr()) && Double.isFinite(s.loss()));
    }

    private static List<GeneratedImage> render(StableDiffusionPipeline pipeline) {
        GenerationRequest request = GenerationRequest.builder().setPrompts(List.of("a red square", "a blue circle"))
                .optSteps(3).optSeed(7).build();
        return pipeline.generate(request).images();
    }

    private static List<LoraNetwork> install(StableDiffusionPipeline pipeline, Path file) throws IOException {
        Map<LoraComponent, Collection<String>> modules = new EnumMap<>(LoraComponent.class);
        modules.put(LoraComponent.UNET, pipeline.unet().linears().keySet());
        modules.put(LoraComponent.TEXT_ENCODER, pipeline.textEncoder().linears().keySet());
        List<LoraNetwork> networks = new ArrayList<>();
        try (NDManager scratch = pipeline.manager().newSubManager()) {
            Map<LoraComponent, Map<String, LoraModuleWeights>> weights = LoraFiles.load(file, modules, scratch);
            assertThat(weights.keySet()).containsExactlyInAnyOrder(LoraComponent.UNET, LoraComponent.TEXT_ENCODER);
            networks.add(LoraNetwork.of(pipeline.unet().linears(), weights.get(LoraComponent.UNET), 0));
            networks.add(LoraNetwork.of(pipeline.textEncoder().linears(), weights.get(LoraComponent.TEXT_ENCODER), 0));
        }
        return networks;
    }

    private static double maxDiff(GeneratedImage a, GeneratedImage b) {
        float[] x = a.pixels();
        float[] y = b.pixels();
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(x[i] - y[i]));
        }
        return worst;
    }

    static void assertSameTensors(Path expected, Path actual) throws IOException {
        try (SafeTensorsFile a = SafeTensorsFile.open(expected); SafeTensorsFile b = SafeTensorsFile.open(actual);
             NDManager manager = NDManager.newBaseManager()) {
            assertThat(b.names()).containsExactlyInAnyOrderElementsOf(a.names());
            double worst = 0;
            for (String name : a.names()) {
                worst = Math.max(worst, Tensors.assertClose(b.load(name, manager), a.load(name, manager), 1e-6, name));
            }
            System.out.printf("resumed vs uninterrupted: max |diff| %.3g over %d tensors%n", worst, a.names().size());
        }
    }
}
