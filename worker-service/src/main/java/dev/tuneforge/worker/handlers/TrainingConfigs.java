package dev.tuneforge.worker.handlers;

import ai.djl.Device;
import dev.tuneforge.common.jobs.DreamBoothSettings;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.worker.engine.training.TrainingConfig;
import dev.tuneforge.worker.engine.training.TrainingMethod;
import dev.tuneforge.worker.runner.BadInputException;
import java.nio.file.Path;

/**
 * A {@link TrainSpec} as the engine's {@link TrainingConfig}, field by field. Validation images are
 * rendered at every checkpoint when the spec has validation prompts (steps and guidance from
 * {@code spec.validation}; the size is the training resolution, the scheduler the model's own).
 */
final class TrainingConfigs {

    /** Local checkpoints: the bucket keeps the history, the trainer only needs the newest to resume. */
    private static final int LOCAL_CHECKPOINTS = 1;

    private TrainingConfigs() {
    }

    static TrainingConfig from(TrainSpec spec, Path modelDir, Path dataDir, Path outputDir, Device device) {
        TrainingConfig.Builder b = TrainingConfig.builder().modelDir(modelDir).dataDir(dataDir).outputDir(outputDir)
                .method(TrainingMethod.parse(spec.method())).maxSteps(spec.steps()).batchSize(spec.batchSize())
                .resolution(spec.resolution()).unetLr(spec.learningRate())
                .textEncoderLr(spec.textEncoderLearningRate()).trainTextEncoder(spec.trainTextEncoder())
                .lrScheduler(spec.lrScheduler()).lrCycles(spec.lrCycles()).lrPower(spec.lrPower())
                .lrWarmupSteps(spec.lrWarmupSteps()).gradientAccumulation(spec.gradientAccumulationSteps())
                .maxGradNorm(spec.maxGradNorm()).snrGamma(spec.snrGamma().floatValue()).seed(spec.seed())
                .centerCrop(spec.centerCrop()).randomFlip(spec.randomFlip()).checkpointEvery(spec.checkpointEvery())
                .keepCheckpoints(LOCAL_CHECKPOINTS).resume(true)
                .rank(spec.lora().rank()).alpha(spec.lora().alpha()).loraDropout(spec.lora().dropout())
                .unetTargets(spec.lora().unetTargets()).textEncoderTargets(spec.lora().textEncoderTargets())
                .device(device);
        if (!spec.validation().prompts().isEmpty()) {
            b.validationPrompts(spec.validation().prompts()).validationEvery(spec.checkpointEvery())
                    .validationSteps(spec.validation().steps())
                    .validationGuidance(spec.validation().guidance().floatValue());
        }
        if (spec.dreambooth() != null) {
            dreambooth(b, spec.dreambooth());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    private static void dreambooth(TrainingConfig.Builder b, DreamBoothSettings d) {
        b.instancePrompt(d.instancePrompt()).numClassImages(d.numClassImages()).priorLossWeight(d.priorLossWeight())
                .fullFinetune(d.fullFinetune());
        if (d.priorPreservation()) {
            b.classPrompt(d.classPrompt());
        }
    }
}
