package dev.tuneforge.worker.engine.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.worker.engine.pipeline.GeneratedImage;
import dev.tuneforge.worker.engine.pipeline.GenerationRequest;
import dev.tuneforge.worker.engine.pipeline.StableDiffusionPipeline;
import dev.tuneforge.worker.engine.text.ClipTokenizer;
import dev.tuneforge.worker.engine.text.TokenizedPrompt;
import dev.tuneforge.worker.engine.training.StepProgress;
import dev.tuneforge.worker.engine.training.Trainer;
import dev.tuneforge.worker.engine.training.TrainingConfig;
import dev.tuneforge.worker.engine.training.TrainingListener;
import dev.tuneforge.worker.engine.training.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiny random model loads through the real engine, renders, tokenizes and trains. */
class TinyModelFactoryTest {

    @TempDir
    static Path shared;
    private static Path model;

    @BeforeAll
    static void writeModel() throws IOException {
        model = TinyModelFactory.write(shared.resolve("model"), TinyModelFactory.DEFAULT_SEED);
    }

    @Test
    void theSameSeedWritesTheSameBytesAndTheModelSaysWhatItIs(@TempDir Path dir) throws IOException {
        Path again = TinyModelFactory.write(dir.resolve("again"), TinyModelFactory.DEFAULT_SEED);
        List<Path> files = files(model);
        assertThat(files).containsAll(List.of(Path.of("model_index.json"), Path.of("README.txt"),
                Path.of("unet/config.json"), Path.of("unet/diffusion_pytorch_model.safetensors"),
                Path.of("vae/config.json"), Path.of("vae/diffusion_pytorch_model.safetensors"),
                Path.of("text_encoder/config.json"), Path.of("text_encoder/model.safetensors"),
                Path.of("tokenizer/vocab.json"), Path.of("tokenizer/merges.txt"),
                Path.of("scheduler/scheduler_config.json")));
        assertThat(files(again)).isEqualTo(files);
        for (Path file : files) {
            assertThat(Files.readAllBytes(again.resolve(file))).as(file.toString())
                    .isEqualTo(Files.readAllBytes(model.resolve(file)));
        }
        assertThat(Files.readString(model.resolve("README.txt"))).contains("random weights, not a real model");
        assertThat(Files.readString(model.resolve("model_index.json"))).contains(TinyModelFactory.NAME);

        Path other = TinyModelFactory.write(dir.resolve("other"), TinyModelFactory.DEFAULT_SEED + 1);
        assertThat(Files.readAllBytes(other.resolve("unet/diffusion_pytorch_model.safetensors")))
                .isNotEqualTo(Files.readAllBytes(model.resolve("unet/diffusion_pytorch_model.safetensors")));
    }

    @Test
    void theTokenizerEncodesDemoWordsAsOneTokenEachAndAnyOtherTextByBytes() throws IOException {
        try (ClipTokenizer tokenizer = ClipTokenizer.load(model.resolve("tokenizer"))) {
            TokenizedPrompt prompt = tokenizer.encode("A photo of a TFDEMO red circle");
            assertThat(prompt.tokens()).containsExactly("<|startoftext|>", "a</w>", "photo</w>", "of</w>", "a</w>",
                    "tfdemo</w>", "red</w>", "circle</w>", "<|endoftext|>");
            assertThat(prompt.ids()).hasSize(77);
            assertThat(tokenizer.encode("zebra!").tokens()).containsExactly("<|startoftext|>", "z", "e", "b", "r",
                    "a</w>", "!</w>", "<|endoftext|>");
        }
    }

    @Test
    void thePipelineRendersFiniteVariedImagesAtTheNativeSixtyFourPixels() throws IOException {
        try (StableDiffusionPipeline pipeline = StableDiffusionPipeline.builder().setModelDir(model).build()) {
            assertThat(pipeline.defaultSize()).containsExactly(64, 64);
            GeneratedImage image = pipeline.generate(GenerationRequest.builder()
                    .addPrompt("a photo of a tfdemo red circle").optSteps(2).optSeed(3).build()).images().get(0);
            float[] pixels = image.pixels();
            assertThat(pixels).hasSize(64 * 64 * 3);
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float p : pixels) {
                assertThat(Float.isFinite(p)).isTrue();
                min = Math.min(min, p);
                max = Math.max(max, p);
            }
            assertThat(max - min).as("pixel range").isGreaterThan(0.05f);
        }
    }

    @Test
    void twoLoraStepsOnTheDemoDatasetHaveAFiniteLossAndSaveTheLora(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("data");
        DemoDataset.write(data, 2);
        TrainingConfig config = TrainingConfig.builder().modelDir(model).dataDir(data).outputDir(dir.resolve("out"))
                .resolution(64).rank(4).alpha(4).batchSize(1).maxSteps(2).checkpointEvery(1).unetLr(1e-3)
                .lrScheduler("constant").lrWarmupSteps(0).seed(5).build();
        List<StepProgress> steps = new ArrayList<>();
        TrainingResult result;
        try (Trainer trainer = Trainer.create(config, new TrainingListener() {
            @Override
            public void onStep(StepProgress progress) {
                steps.add(progress);
            }
        })) {
            result = trainer.train();
        }
        assertThat(result.steps()).isEqualTo(2);
        assertThat(steps).hasSize(2).allSatisfy(s -> assertThat(Double.isFinite(s.loss())).isTrue());
        try (Stream<Path> saved = Files.list(result.finalDir())) {
            assertThat(saved.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".safetensors"));
        }
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
