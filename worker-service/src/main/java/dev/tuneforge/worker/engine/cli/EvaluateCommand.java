package dev.tuneforge.worker.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.worker.engine.clip.ClipScorer;
import dev.tuneforge.worker.engine.eval.EvaluationReport;
import dev.tuneforge.worker.engine.eval.Evaluator;
import dev.tuneforge.worker.engine.eval.GeneratedSample;
import dev.tuneforge.worker.engine.eval.ImageInput;
import dev.tuneforge.worker.engine.face.DetectorOptions;
import dev.tuneforge.worker.engine.face.FaceModelFiles;
import dev.tuneforge.worker.engine.face.FacePipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code evaluate --generated DIR [--prompts FILE] --train DIR [--clip DIR] [options]}: the
 * checkpoint evaluation of a folder of generated images against the training photos, printed as
 * the report's JSON. Prompts are a JSON object (file name to prompt) or a text file with one prompt
 * per line, in the order of the generated file names.
 */
final class EvaluateCommand {

    static final Set<String> OPTIONS = Set.of("generated", "prompts", "train", "clip", "face-models", "detector",
            "detector-size", "detector-threshold", "margin", "cache");
    static final String USAGE = String.join("\n",
            "       engine evaluate --generated DIR --train DIR [--prompts FILE] [--clip DIR]",
            "                       [--face-models DIR] [--detector tiny|ssd] [--detector-size 416 (tiny only)]",
            "                       [--detector-threshold 0.5]",
            "                       [--margin 0.0] [--cache DIR]",
            "--prompts: JSON object {\"file.png\": \"prompt\"} or one prompt per line in file-name order;",
            "without --prompts and --clip only the face metrics are computed.");
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "webp");

    private EvaluateCommand() {
    }

    static void run(CliArgs options) throws IOException {
        List<Path> generated = images(Path.of(options.required("generated")), "--generated");
        List<Path> training = images(Path.of(options.required("train")), "--train");
        List<String> prompts = options.has("prompts")
                ? prompts(Path.of(options.required("prompts")), generated) : null;
        DetectorOptions.Network network = DetectorOptions.Network.named(options.get("detector", "tiny"));
        DetectorOptions detector = new DetectorOptions(network,
                options.getInt("detector-size", network.defaultInputSize()),
                options.getFloat("detector-threshold", 0.5f));
        double margin = options.getFloat("margin", (float) FacePipeline.DEFAULT_MARGIN);
        FaceModelFiles models = options.has("face-models")
                ? FaceModelFiles.directory(Path.of(options.required("face-models"))) : FaceModelFiles.locate();
        Path cache = options.has("cache") ? Path.of(options.required("cache")) : null;
        try (FacePipeline faces = FacePipeline.load(models, detector, margin);
             ClipScorer clip = options.has("clip") ? ClipScorer.load(Path.of(options.required("clip"))) : null) {
            List<GeneratedSample> samples = new ArrayList<>();
            for (int i = 0; i < generated.size(); i++) {
                samples.add(new GeneratedSample(ImageInput.file(generated.get(i)), prompts == null ? null
                        : prompts.get(i)));
            }
            EvaluationReport report = Evaluator.of(faces, clip, cache)
                    .evaluate(samples, training.stream().map(ImageInput::file).toList());
            System.out.println(report.toJson());
        }
    }

    /** The image files of {@code dir}, sorted by name; a missing or imageless folder fails naming the option. */
    static List<Path> images(Path dir, String option) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " folder " + dir + " does not exist");
        }
        List<Path> images;
        try (Stream<Path> files = Files.list(dir)) {
            images = files.filter(Files::isRegularFile).filter(EvaluateCommand::isImage).sorted().toList();
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException(option + " folder " + dir + " holds no images (" + IMAGE_EXTENSIONS
                    + ")");
        }
        return images;
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** One prompt per generated image, from a JSON object by file name or from lines in file-name order. */
    static List<String> prompts(Path file, List<Path> generated) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--prompts file " + file + " does not exist");
        }
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            JsonNode json = new ObjectMapper().readTree(file.toFile());
            if (json == null || !json.isObject()) {
                throw new IllegalArgumentException("--prompts file " + file + " must be a JSON object of file name "
                        + "to prompt");
            }
            List<String> prompts = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (Path image : generated) {
                JsonNode prompt = json.get(image.getFileName().toString());
                if (prompt == null || !prompt.isTextual()) {
                    missing.add(image.getFileName().toString());
                }
                prompts.add(prompt == null ? null : prompt.asText());
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("--prompts file " + file + " has no prompt for " + missing);
            }
            return prompts;
        }
        List<String> lines = Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.size() != generated.size()) {
            throw new IllegalArgumentException("--prompts file " + file + " has " + lines.size() + " prompts for "
                    + generated.size() + " generated images (one line per image, in file-name order)");
        }
        return lines;
    }
}
