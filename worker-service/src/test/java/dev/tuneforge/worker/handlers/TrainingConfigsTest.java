package dev.tuneforge.worker.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.tuneforge.common.jobs.DreamBoothSettings;
import dev.tuneforge.common.jobs.LoraSettings;
import dev.tuneforge.common.jobs.SamplingSettings;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.worker.engine.training.TrainingConfig;
import dev.tuneforge.worker.engine.training.TrainingMethod;
import dev.tuneforge.worker.runner.BadInputException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TrainSpec → TrainingConfig, field by field. */
class TrainingConfigsTest {
    private static final Path MODEL = Path.of("model");
    private static final Path DATA = Path.of("data");
    private static final Path OUT = Path.of("out");

    private static TrainSpec spec(String method, SamplingSettings validation, DreamBoothSettings dreambooth) {
        return new TrainSpec(method, "m", "d", 300, 4, 256, 2e-4, 5e-5, false, "cosine", 2, 1.5, 10, 3, 0.5, 4.0,
                99L, false, true, 25, 2, new LoraSettings(8, 6.0, 0.1, List.of("to_q", "to_v"), List.of("q_proj")),
                validation, dreambooth);
    }

    @Test
    void everySpecFieldReachesTheEngineConfig() {
        SamplingSettings validation = new SamplingSettings(List.of("a photo"), null, 12, 5.0, null, null, null, null,
                null);
        TrainingConfig c = TrainingConfigs.from(spec("lora", validation, null), MODEL, DATA, OUT, Device.cpu());
        assertThat(c.method()).isEqualTo(TrainingMethod.LORA);
        assertThat(c.modelDir()).isEqualTo(MODEL);
        assertThat(c.dataDir()).isEqualTo(DATA);
        assertThat(c.outputDir()).isEqualTo(OUT);
        assertThat(c.maxSteps()).isEqualTo(300);
        assertThat(c.batchSize()).isEqualTo(4);
        assertThat(c.resolution()).isEqualTo(256);
        assertThat(c.unetLr()).isEqualTo(2e-4);
        assertThat(c.textEncoderLr()).isEqualTo(5e-5);
        assertThat(c.textEncoderLora()).as("text encoder frozen").isNull();
        assertThat(c.lrScheduler()).isEqualTo("cosine");
        assertThat(c.lrWarmupSteps()).isEqualTo(10);
        assertThat(c.gradientAccumulation()).isEqualTo(3);
        assertThat(c.maxGradNorm()).isEqualTo(0.5);
        assertThat(c.snrGamma()).isEqualTo(4f);
        assertThat(c.seed()).isEqualTo(99L);
        assertThat(c.centerCrop()).isFalse();
        assertThat(c.randomFlip()).isTrue();
        assertThat(c.checkpointEvery()).isEqualTo(25);
        assertThat(c.resume()).isTrue();
        assertThat(c.unetLora().rank()).isEqualTo(8);
        assertThat(c.unetLora().alpha()).isEqualTo(6.0);
        assertThat(c.unetLora().dropout()).isEqualTo(0.1);
        assertThat(c.unetLora().targetModules()).containsExactly("to_q", "to_v");
        assertThat(c.fingerprint()).containsEntry("lr_scheduler", "cosine/10/2/1.5");
        assertThat(c.validationPrompts()).containsExactly("a photo");
        assertThat(c.validationEvery()).isEqualTo(25);
        assertThat(c.validationSteps()).isEqualTo(12);
        assertThat(c.validationGuidance()).isEqualTo(5f);
        assertThat(c.device()).isEqualTo(Device.cpu());
    }

    @Test
    void withoutValidationPromptsNothingIsRendered() {
        TrainingConfig c = TrainingConfigs.from(spec("lora", SamplingSettings.defaults(), null), MODEL, DATA, OUT,
                Device.cpu());
        assertThat(c.validationEvery()).isZero();
    }

    @Test
    void dreamBoothWithPriorPreservationGetsItsPromptsAndClassImages() {
        DreamBoothSettings db = new DreamBoothSettings("a photo of sks person", "a photo of a person", true, 12, 0.5,
                false);
        TrainingConfig c = TrainingConfigs.from(spec("dreambooth", SamplingSettings.defaults(), db), MODEL, DATA, OUT,
                Device.cpu());
        assertThat(c.method()).isEqualTo(TrainingMethod.DREAMBOOTH);
        assertThat(c.instancePrompt()).isEqualTo("a photo of sks person");
        assertThat(c.priorPreservation()).isTrue();
        assertThat(c.classPrompt()).isEqualTo("a photo of a person");
        assertThat(c.numClassImages()).isEqualTo(12);
        assertThat(c.priorLossWeight()).isEqualTo(0.5);

        DreamBoothSettings noPrior = new DreamBoothSettings("a photo of sks person", "a photo of a person", false, null,
                null, false);
        assertThat(TrainingConfigs.from(spec("dreambooth", SamplingSettings.defaults(), noPrior), MODEL, DATA, OUT,
                Device.cpu()).priorPreservation()).isFalse();
    }

    @Test
    void aFullFinetuneTrainsTheUnetWithoutTextEncoderAdapters() {
        DreamBoothSettings full = new DreamBoothSettings("a photo of sks person", null, false, null, null, true);
        TrainingConfig c = TrainingConfigs.from(spec("dreambooth", SamplingSettings.defaults(), full), MODEL, DATA, OUT,
                Device.cpu());
        assertThat(c.fullFinetune()).isTrue();
        assertThat(c.textEncoderLora()).isNull();
    }

    @Test
    void aFullFinetuneOfALoraRunIsBadInputWithTheEngineMessage() {
        DreamBoothSettings full = new DreamBoothSettings("a photo of sks person", null, false, null, null, true);
        assertThatThrownBy(() -> TrainingConfigs.from(spec("lora", SamplingSettings.defaults(), full), MODEL, DATA, OUT,
                Device.cpu())).isInstanceOf(BadInputException.class).hasMessageContaining("fullFinetune");
    }
}
