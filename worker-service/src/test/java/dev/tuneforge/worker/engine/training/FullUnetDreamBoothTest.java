package dev.tuneforge.worker.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tuneforge.worker.engine.pipeline.StableDiffusionPipeline;
import dev.tuneforge.worker.engine.testing.Goldens;
import dev.tuneforge.worker.engine.unet.UNet2DConditionModel;
import dev.tuneforge.worker.engine.weights.SafeTensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DreamBooth as a full UNet fine-tune on {@code goldens/sd_pipeline}: every UNet weight trains, and a resume is exact. */
class FullUnetDreamBoothTest {

    private static Path model;
    private static int resolution;

    @BeforeAll
    static void model() throws IOException {
        model = Goldens.dir("sd_pipeline");
        try (StableDiffusionPipeline pipeline = StableDiffusionPipeline.builder().setModelDir(model).build()) {
            resolution = pipeline.defaultSize()[0];
        }
    }

    private static TrainingConfig.Builder dreamBooth(Path data, Path out) {
        return TrainingConfig.builder().modelDir(model).dataDir(data).outputDir(out).resolution(resolution)
                .method(TrainingMethod.DREAMBOOTH).fullFinetune(true).instancePrompt("a photo of sks shape")
                .classPrompt("a photo of a shape").numClassImages(2).classImageSteps(2).batchSize(1)
                .maxSteps(4).checkpointEvery(2).unetLr(1e-3).lrScheduler("constant").lrWarmupSteps(0).seed(1126);
    }

    @Test
    void everyUnetWeightTrainsAndTheFinalUnetLoadsAsADiffusersComponent(@TempDir Path dir) throws IOException {
        Path data = TrainingDatasets.shapes(dir.resolve("data"), 2, resolution, resolution);
        TrainerTest.Recorder recorder = new TrainerTest.Recorder();
        Path finalDir;
        try (Trainer trainer = Trainer.create(dreamBooth(data, dir.resolve("out")).build(), recorder)) {
            finalDir = trainer.train().finalDir();
        }
        assertThat(recorder.steps).hasSize(4).allMatch(s -> Double.isFinite(s.loss()) && Double.isNaN(s.textEncoderLr()));
        assertThat(recorder.checkpoints).containsExactly(2, 4);
        Path unetDir = finalDir.resolve("unet");
        assertThat(unetDir.resolve("config.json")).hasSameTextualContentAs(model.resolve("unet/config.json"));
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet2DConditionModel base = UNet2DConditionModel.load(model.resolve("unet"), manager);
            UNet2DConditionModel trained = UNet2DConditionModel.load(unetDir, manager);
            List<String> unchanged = new ArrayList<>();
            for (Map.Entry<String, NDArray> entry : base.parameters().entrySet()) {
                NDArray after = trained.parameters().get(entry.getKey());
                if (after.sub(entry.getValue()).abs().max().getFloat() == 0f) {
                    unchanged.add(entry.getKey());
                }
            }
            System.out.printf("full UNet fine-tune: %d of %d parameters changed%n",
                    base.parameters().size() - unchanged.size(), base.parameters().size());
            // Convolutions (including those run as matrix products), norms and projections all learn.
            assertThat(unchanged).as("parameters the fine-tune left unchanged").isEmpty();
        }
    }

    @Test
    void resumingAFullFineTuneEndsWithTheWeightsOfAnUninterruptedRun(@TempDir Path dir) throws IOException {
        Path data = TrainingDatasets.shapes(dir.resolve("data"), 2, resolution, resolution);
        Path classes = dir.resolve("classes");
        Path straight;
        try (Trainer trainer = Trainer.create(dreamBooth(data, dir.resolve("straight")).classDataDir(classes).build(),
                new TrainerTest.Recorder())) {
            straight = trainer.train().finalDir();
        }
        TrainingConfig.Builder interrupted = dreamBooth(data, dir.resolve("resumed")).classDataDir(classes);
        TrainerTest.Recorder first = new TrainerTest.Recorder();
        first.stopAt = 3;
        try (Trainer trainer = Trainer.create(interrupted.build(), first)) {
            assertThat(trainer.train().stopped()).isTrue();
        }
        Path resumed;
        try (Trainer trainer = Trainer.create(interrupted.resume(true).build(), new TrainerTest.Recorder())) {
            TrainingResult result = trainer.train();
            assertThat(result.resumedFrom()).isEqualTo(3);
            resumed = result.finalDir();
        }
        TrainerTest.assertSameTensors(straight.resolve("unet/diffusion_pytorch_model.safetensors"),
                resumed.resolve("unet/diffusion_pytorch_model.safetensors"));
        try (SafeTensorsFile checkpoint = SafeTensorsFile.open(
                dir.resolve("resumed/checkpoints/step-4").resolve(UnetTrainables.CHECKPOINT_FILE))) {
            assertThat(checkpoint.names()).contains("conv_in.weight", "conv_norm_out.weight");
        }
        assertThat(Files.exists(dir.resolve("resumed/final/pytorch_lora_weights.safetensors"))).isFalse();
    }

    @Test
    void aFullFineTuneIsADreamBoothOption(@TempDir Path dir) {
        assertThatThrownBy(() -> TrainingConfig.builder().modelDir(model).dataDir(dir).outputDir(dir)
                .method(TrainingMethod.LORA).fullFinetune(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fullFinetune");
    }
}
