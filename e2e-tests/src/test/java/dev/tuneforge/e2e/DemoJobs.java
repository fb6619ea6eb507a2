package dev.tuneforge.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The demo model and dataset registered once per test JVM, the job specs the tests share, and the
 * one uninterrupted reference training that the generate, evaluate and crash tests build on.
 */
final class DemoJobs {

    static final String MODEL = "tiny-random";
    static final String DATASET = "demo-shapes";
    static final String PROMPT = "a photo of a tfdemo red circle on a blue background";
    static final int STEPS = 20;
    static final int CHECKPOINT_EVERY = 10;
    static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(4);

    private static boolean registered;
    private static String referenceTraining;

    private DemoJobs() {
    }

    /** Registers the tiny model and uploads the dataset (once; the API keeps them for the JVM's platform). */
    static synchronized void register(E2ePlatform platform, Api api) {
        if (!registered) {
            DemoAssets assets = DemoAssets.get(platform);
            api.registerModel(MODEL, assets.modelZip());
            api.uploadDataset(DATASET, assets.datasetFiles());
            registered = true;
        }
    }

    /** A LoRA training of the tiny model: {@code steps} steps at 64 px, a checkpoint every 10, fixed seed. */
    static Map<String, Object> train(int steps) {
        return Map.ofEntries(Map.entry("method", "lora"), Map.entry("modelId", MODEL), Map.entry("datasetId", DATASET),
                Map.entry("steps", steps), Map.entry("checkpointEvery", CHECKPOINT_EVERY), Map.entry("batchSize", 1),
                Map.entry("resolution", 64), Map.entry("learningRate", 1e-3), Map.entry("textEncoderLearningRate", 1e-3),
                Map.entry("lrScheduler", "constant"), Map.entry("lrWarmupSteps", 0), Map.entry("seed", 1126),
                Map.entry("lora", Map.of("rank", 4, "alpha", 4)), Map.entry("validation", sampling(2, 7)));
    }

    /** Rendering settings: the demo prompt at the tiny model's native 64 px. */
    static Map<String, Object> sampling(int steps, long seed) {
        return Map.of("prompts", List.of(PROMPT), "steps", steps, "width", 64, "height", 64, "seed", seed);
    }

    /** The id of the uninterrupted {@link #STEPS}-step training, submitted and awaited once per JVM. */
    static synchronized String referenceTraining(Api api) {
        if (referenceTraining == null) {
            String id = api.submit("train", train(STEPS));
            String status = api.awaitTerminal(id, TRAINING_TIMEOUT);
            if (!status.equals("SUCCEEDED")) {
                throw new AssertionError("reference training " + id + " ended " + status + ": "
                        + api.job(id).getString("failureReason"));
            }
            referenceTraining = id;
        }
        return referenceTraining;
    }
}
