package dev.tuneforge.worker.engine.training;

import dev.tuneforge.worker.engine.pipeline.GeneratedImage;
import dev.tuneforge.worker.engine.pipeline.GenerationRequest;
import dev.tuneforge.worker.engine.pipeline.StableDiffusionPipeline;
import dev.tuneforge.worker.engine.training.data.ImageCaptionDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * DreamBooth's class images: when the class folder holds fewer than wanted, the base model draws
 * the rest from the class prompt (before any training, as train_dreambooth_lora.py does), each
 * image from its own seed so a rerun regenerates the same ones.
 */
final class ClassImages {

    private static final long CLASS = 0x434C415353L;
    private static final int PER_CALL = 4;

    private ClassImages() {
    }

    /** Fills {@code dir} up to {@code wanted} images; returns how many were generated. */
    static int ensure(Path dir, int wanted, String prompt, StableDiffusionPipeline pipeline, int steps, int resolution,
                      long seed, TrainingListener listener) throws IOException {
        Files.createDirectories(dir);
        int existing = count(dir);
        int missing = wanted - existing;
        if (missing <= 0) {
            return 0;
        }
        listener.onWarning("generating " + missing + " class images for '" + prompt + "' in " + dir);
        int generated = 0;
        try (NoGrad noGrad = new NoGrad()) {
            while (generated < missing) {
                int index = existing + generated;
                int batch = Math.min(PER_CALL, missing - generated);
                GenerationRequest request = GenerationRequest.builder().setPrompts(List.of(prompt))
                        .optImagesPerPrompt(batch).optSteps(steps).optSize(resolution, resolution)
                        .optSeed(Seeds.derive(seed, CLASS, index)).build();
                List<GeneratedImage> images = pipeline.generate(request).images();
                for (GeneratedImage image : images) {
                    image.writePng(freeName(dir, existing + generated));
                    generated++;
                }
            }
        }
        return generated;
    }

    private static int count(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(Files::isRegularFile).filter(ClassImages::isImage).count();
        }
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".") && dot > 0
                && ImageCaptionDataset.IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static Path freeName(Path dir, int index) {
        Path file = dir.resolve("class-" + index + ".png");
        int suffix = index;
        while (Files.exists(file)) {
            suffix += 1_000_000;
            file = dir.resolve("class-" + suffix + ".png");
        }
        return file;
    }
}
