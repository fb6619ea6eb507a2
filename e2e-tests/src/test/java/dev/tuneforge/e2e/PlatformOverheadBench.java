package dev.tuneforge.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The platform's overhead on a training job: wall time of the tiny demo LoRA training (20 steps,
 * checkpoint every 10, validation renders) submitted through the API and run by a worker, from
 * submission to SUCCEEDED, versus the same training run by the engine directly ({@code engine
 * train}, a fresh JVM like the worker's: model load included). Prints the figures and their
 * ratio; asserts nothing. Run with {@code ./mvnw -B -o -pl e2e-tests -Pbench verify}.
 */
public final class PlatformOverheadBench {

    private PlatformOverheadBench() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        E2ePlatform platform = E2ePlatform.get();
        Api api = new Api(platform);
        DemoJobs.register(platform, api);
        DemoAssets assets = DemoAssets.get(platform);
        // One untimed job first: the worker's first job pays for class loading and the model download.
        timeThroughPlatform(api);
        double platformSeconds = 0;
        double engineSeconds = 0;
        for (int i = 0; i < runs; i++) {
            double p = timeThroughPlatform(api);
            double e = timeEngine(platform, assets, i);
            System.out.printf(Locale.ROOT, "run %d: platform %.2f s, engine %.2f s%n", i + 1, p, e);
            platformSeconds += p;
            engineSeconds += e;
        }
        platformSeconds /= runs;
        engineSeconds /= runs;
        System.out.printf(Locale.ROOT, "tiny LoRA training, %d steps, checkpoint every %d, mean of %d runs:%n",
                DemoJobs.STEPS, DemoJobs.CHECKPOINT_EVERY, runs);
        System.out.printf(Locale.ROOT, "  through the platform (submit -> SUCCEEDED)  %.2f s%n", platformSeconds);
        System.out.printf(Locale.ROOT, "  engine directly (engine train, new JVM)     %.2f s%n", engineSeconds);
        System.out.printf(Locale.ROOT, "  platform / engine                           %.2f%n", platformSeconds / engineSeconds);
        System.exit(0);
    }

    private static double timeThroughPlatform(Api api) {
        long start = System.nanoTime();
        String id = api.submit("train", DemoJobs.train(DemoJobs.STEPS));
        String status = api.awaitTerminal(id, DemoJobs.TRAINING_TIMEOUT);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!status.equals("SUCCEEDED")) {
            throw new IllegalStateException("training " + id + " ended " + status);
        }
        return seconds;
    }

    /** The settings of {@link DemoJobs#train} as engine train options. */
    private static double timeEngine(E2ePlatform platform, DemoAssets assets, int run) {
        Path out = platform.logs().resolveSibling("bench-engine").resolve("run-" + run);
        Duration took = EngineCommand.run(platform.root(), platform.logs().resolve("bench-engine-" + run + ".log"),
                DemoJobs.TRAINING_TIMEOUT, "train", "--model", assets.model().toString(), "--data",
                assets.dataset().toString(), "--out", out.toString(), "--method", "lora",
                "--steps", String.valueOf(DemoJobs.STEPS), "--checkpoint-every", String.valueOf(DemoJobs.CHECKPOINT_EVERY),
                "--batch", "1", "--resolution", "64", "--lr", "1e-3", "--text-encoder-lr", "1e-3",
                "--lr-scheduler", "constant", "--warmup", "0", "--seed", "1126", "--rank", "4", "--alpha", "4",
                "--center-crop", "--validation-prompt", DemoJobs.PROMPT, "--validation-every",
                String.valueOf(DemoJobs.CHECKPOINT_EVERY), "--validation-steps", "2", "--device", "cpu");
        return took.toNanos() / 1e9;
    }
}
