package dev.tuneforge.worker.engine.cli;

import dev.tuneforge.worker.engine.bench.EngineBench;
import dev.tuneforge.worker.engine.pipeline.GeneratedImage;
import dev.tuneforge.worker.engine.pipeline.GenerationRequest;
import dev.tuneforge.worker.engine.pipeline.GenerationResult;
import dev.tuneforge.worker.engine.pipeline.StableDiffusionPipeline;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Command line of the engine, for manual use and the benchmark:
 * {@code generate --model DIR --prompt TEXT --out x.png [options]}, {@code bench [options]} and
 * {@code evaluate --generated DIR --train DIR [options]} and {@code train --model DIR --data DIR --out DIR [options]}.
 */
public final class EngineCli {

    private static final String USAGE = String.join("\n",
            "usage: engine generate --model DIR --prompt TEXT [--prompt TEXT ...] --out FILE.png",
            "                       [--negative TEXT] [--scheduler NAME] [--steps N] [--seed N] [--guidance G]",
            "                       [--width W] [--height H] [--images N]",
            "       engine bench [--case unet-fwd|unet-lora-step|tiny-pipeline ...] [--bench-dir DIR] [--goldens DIR]",
            EvaluateCommand.USAGE,
            TrainCommand.USAGE,
            DemoAssetsCommand.USAGE,
            "With several images, FILE.png becomes FILE-0.png, FILE-1.png, ...");

    private static final Set<String> GENERATE_OPTIONS = Set.of("model", "prompt", "out", "negative", "scheduler",
            "steps", "seed", "guidance", "width", "height", "images");

    private EngineCli() {
    }

    public static void main(String[] args) throws Exception {
        int exit = run(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    /** Runs one command; returns the process exit code (2 for a usage error). */
    static int run(String[] args) throws Exception {
        if (args.length == 0 || "--help".equals(args[0]) || "help".equals(args[0])) {
            System.out.println(USAGE);
            return 0;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            switch (args[0]) {
                case "generate":
                    generate(CliArgs.parse(rest, GENERATE_OPTIONS));
                    return 0;
                case "bench":
                    EngineBench.main(rest.toArray(new String[0]));
                    return 0;
                case "evaluate":
                    EvaluateCommand.run(CliArgs.parse(rest, EvaluateCommand.OPTIONS));
                    return 0;
                case "train":
                    return TrainCommand.run(rest);
                case "demo-assets":
                    DemoAssetsCommand.run(CliArgs.parse(rest, DemoAssetsCommand.OPTIONS));
                    return 0;
                default:
                    throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("engine: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
    }

    private static void generate(CliArgs options) throws Exception {
        Path out = Path.of(options.required("out"));
        GenerationRequest.Builder request = GenerationRequest.builder().setPrompts(promptsOf(options))
                .optGuidanceScale(options.getFloat("guidance", 7.5f))
                .optSteps(options.getInt("steps", 50))
                .optImagesPerPrompt(options.getInt("images", 1))
                .optCallback((step, total, t, latents) -> System.err.printf("step %d/%d (t=%.1f)%n", step + 1, total, t));
        if (options.has("negative")) {
            request.optNegativePrompt(options.required("negative"));
        }
        if (options.has("seed")) {
            request.optSeed(options.getLong("seed"));
        }
        if (options.has("width") || options.has("height")) {
            if (!options.has("width") || !options.has("height")) {
                throw new IllegalArgumentException("give --width and --height together");
            }
            request.optSize(options.getInt("width"), options.getInt("height"));
        }
        GenerationRequest built = request.build();
        StableDiffusionPipeline.Builder builder = StableDiffusionPipeline.builder()
                .setModelDir(Path.of(options.required("model")));
        if (options.has("scheduler")) {
            builder.optScheduler(options.required("scheduler"));
        }
        try (StableDiffusionPipeline pipeline = builder.build()) {
            GenerationResult result = pipeline.generate(built);
            result.truncatedPrompts().forEach(p -> System.err.println("prompt truncated to the text encoder's length: "
                    + p));
            List<GeneratedImage> images = result.images();
            for (int i = 0; i < images.size(); i++) {
                Path file = images.size() == 1 ? out : numbered(out, i);
                images.get(i).writePng(file);
                System.out.println(file);
            }
            System.err.println("seed " + result.seed());
        }
    }

    private static List<String> promptsOf(CliArgs options) {
        options.required("prompt");
        return options.all("prompt");
    }

    private static Path numbered(Path out, int index) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numbered = dot < 0 ? name + "-" + index : name.substring(0, dot) + "-" + index + name.substring(dot);
        return out.resolveSibling(numbered);
    }
}
