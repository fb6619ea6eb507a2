package dev.tuneforge.common.jobs;

/**
 * A fine-tune of {@code modelId} on {@code datasetId}: LoRA or DreamBooth. Every null field takes
 * the default of DESIGN §3 (rank 32, alpha 16, AdamW 1e-4 for UNet and text encoder,
 * cosine_with_restarts with 3 cycles and 100 warm-up steps, 200 steps, batch 2, resolution 512,
 * Min-SNR gamma 5, seed 1126, validation with 30 steps). {@code keepCheckpoints} null keeps all.
 */
public record TrainSpec(
        String method,
        String modelId,
        String datasetId,
        Integer steps,
        Integer batchSize,
        Integer resolution,
        Double learningRate,
        Double textEncoderLearningRate,
        Boolean trainTextEncoder,
        String lrScheduler,
        Integer lrCycles,
        Double lrPower,
        Integer lrWarmupSteps,
        Integer gradientAccumulationSteps,
        Double maxGradNorm,
        Double snrGamma,
        Long seed,
        Boolean centerCrop,
        Boolean randomFlip,
        Integer checkpointEvery,
        Integer keepCheckpoints,
        LoraSettings lora,
        SamplingSettings validation,
        DreamBoothSettings dreambooth) implements JobSpec {

    public TrainSpec {
        method = Defaults.or(method, Defaults.METHOD);
        steps = Defaults.or(steps, Defaults.STEPS);
        batchSize = Defaults.or(batchSize, Defaults.BATCH_SIZE);
        resolution = Defaults.or(resolution, Defaults.RESOLUTION);
        learningRate = Defaults.or(learningRate, Defaults.LEARNING_RATE);
        textEncoderLearningRate = Defaults.or(textEncoderLearningRate, Defaults.LEARNING_RATE);
        trainTextEncoder = Defaults.or(trainTextEncoder, Boolean.TRUE);
        lrScheduler = Defaults.or(lrScheduler, Defaults.LR_SCHEDULER);
        lrCycles = Defaults.or(lrCycles, Defaults.LR_CYCLES);
        lrPower = Defaults.or(lrPower, Defaults.LR_POWER);
        lrWarmupSteps = Defaults.or(lrWarmupSteps, Defaults.LR_WARMUP_STEPS);
        gradientAccumulationSteps = Defaults.or(gradientAccumulationSteps, Defaults.GRADIENT_ACCUMULATION);
        maxGradNorm = Defaults.or(maxGradNorm, Defaults.MAX_GRAD_NORM);
        snrGamma = Defaults.or(snrGamma, Defaults.SNR_GAMMA);
        seed = Defaults.or(seed, Defaults.SEED);
        centerCrop = Defaults.or(centerCrop, Boolean.TRUE);
        randomFlip = Defaults.or(randomFlip, Boolean.FALSE);
        checkpointEvery = Defaults.or(checkpointEvery, Defaults.CHECKPOINT_EVERY);
        lora = Defaults.or(lora, LoraSettings.defaults());
        validation = Defaults.or(validation, SamplingSettings.defaults());
    }

    /** A spec with every default: only the model and dataset are needed. */
    public static TrainSpec lora(String modelId, String datasetId) {
        return new TrainSpec(null, modelId, datasetId, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public JobKind kind() {
        return JobKind.TRAIN;
    }
}
