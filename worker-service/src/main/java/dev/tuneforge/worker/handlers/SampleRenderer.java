package dev.tuneforge.worker.handlers;

import dev.tuneforge.common.jobs.SamplingSettings;
import dev.tuneforge.common.storage.ObjectKeys;
import dev.tuneforge.worker.engine.pipeline.GeneratedImage;
import dev.tuneforge.worker.engine.pipeline.GenerationRequest;
import dev.tuneforge.worker.engine.pipeline.StableDiffusionPipeline;
import dev.tuneforge.worker.runner.JobContext;
import dev.tuneforge.worker.runner.Progress;
import dev.tuneforge.worker.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Renders sampling settings with a pipeline (seeded: the same settings give the same pixels) and
 * stores the PNGs as a job's samples.
 */
final class SampleRenderer {

    /** Thrown from the denoising loop when the job is asked to stop (cancel, shutdown): nothing is stored. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("rendering stopped on request", null, false, false);
        }
    }

    /** Rendered PNGs, with the prompt of each (prompts in order, {@code imagesPerPrompt} images each). */
    record Rendered(List<Path> files, List<String> prompts) {
    }

    private SampleRenderer() {
    }

    /**
     * Renders; every denoising step is reported as progress, and a stop request ends the render with
     * {@link Stopped} within one step.
     */
    static Rendered render(StableDiffusionPipeline pipeline, SamplingSettings sampling, List<String> prompts, Path dir,
                           JobContext context) throws IOException {
        GenerationRequest.Builder request = GenerationRequest.builder().setPrompts(prompts).optSteps(sampling.steps())
                .optGuidanceScale(sampling.guidance().floatValue()).optSeed(sampling.seed())
                .optSize(sampling.width(), sampling.height()).optImagesPerPrompt(sampling.imagesPerPrompt())
                .optCallback((step, total, timestep, latents) -> {
                    context.progress(Progress.steps(step + 1, total, "denoising"));
                    if (context.stopRequested()) {
                        throw new Stopped();
                    }
                });
        if (sampling.negativePrompt() != null) {
            request.optNegativePrompt(sampling.negativePrompt());
        }
        List<GeneratedImage> images = pipeline.generate(request.build()).images();
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        List<String> imagePrompts = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Path file = dir.resolve(i + ".png");
            images.get(i).writePng(file);
            files.add(file);
            imagePrompts.add(prompts.get(i / sampling.imagesPerPrompt()));
        }
        return new Rendered(files, imagePrompts);
    }

    /** Uploads {@code files} as samples {@code 0..n-1} of {@code step}; returns their locations in order. */
    static List<String> store(ObjectStore store, String tenant, UUID job, int step, List<Path> files) {
        List<String> locations = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String key = ObjectKeys.sample(tenant, job, step, i);
            store.upload(files.get(i), key);
            locations.add(store.location(key));
        }
        return locations;
    }
}
