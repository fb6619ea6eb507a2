package dev.tuneforge.worker.engine.training.data;

import dev.tuneforge.worker.engine.image.RgbImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A folder of training images with their captions, paired by file name ({@code face1.jpg} with
 * {@code face1.txt}), either side by side or in {@code images/} and {@code captions/} subfolders
 * (the object-store layout). Every problem is collected before failing, so one error lists every
 * offending file: unreadable or truncated images, images without captions, captions without images,
 * two images with one name, unsupported files, images smaller than the resolution (when rejected).
 * Images are decoded, converted to RGB and resized (shorter side to the resolution) once, here.
 */
public final class ImageCaptionDataset {

    /** The image types the platform accepts (DESIGN §3). */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "webp");
    private static final String CAPTION_EXTENSION = "txt";

    /** One usable training pair; {@code image} is already resized to the resolution's shorter side. */
    public record Example(String name, Path file, String caption, RgbImage image) {
    }

    private final Path dir;
    private final List<Example> examples;
    private final List<DatasetIssue> skipped;

    private ImageCaptionDataset(Path dir, List<Example> examples, List<DatasetIssue> skipped) {
        this.dir = dir;
        this.examples = Collections.unmodifiableList(examples);
        this.skipped = Collections.unmodifiableList(skipped);
    }

    /**
     * Reads {@code dir}. Problems that do not stop training (an upscaled image, skipped files) go to
     * {@code warnings}; the rest fail with a {@link DatasetException} naming every bad file.
     */
    public static ImageCaptionDataset load(Path dir, DatasetOptions options, TrainTransform transform,
                                           Consumer<String> warnings) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dir, "is not a folder", List.of());
        }
        Path imageDir = Files.isDirectory(dir.resolve("images")) ? dir.resolve("images") : dir;
        Path captionDir = Files.isDirectory(dir.resolve("captions")) ? dir.resolve("captions") : imageDir;
        List<DatasetIssue> issues = new ArrayList<>();
        Map<String, Path> images = new TreeMap<>();
        Map<String, Path> captions = new TreeMap<>();
        collect(imageDir, images, captionDir.equals(imageDir) ? captions : null, issues);
        if (!captionDir.equals(imageDir)) {
            collect(captionDir, null, captions, issues);
        }
        List<Example> examples = new ArrayList<>();
        for (Map.Entry<String, Path> image : images.entrySet()) {
            Path captionFile = captions.get(image.getKey());
            if (captionFile == null && options.captionsRequired()) {
                issues.add(new DatasetIssue(image.getValue(), "image without caption (expected " + image.getKey() + ".txt)"));
                continue;
            }
            Example example = read(image.getKey(), image.getValue(), captionFile, options, transform, issues, warnings);
            if (example != null) {
                examples.add(example);
            }
        }
        if (options.captionsRequired()) {
            captions.forEach((name, file) -> {
                if (!images.containsKey(name)) {
                    issues.add(new DatasetIssue(file, "caption without image (expected " + name + ".jpg, .png or .webp)"));
                }
            });
        }
        return checked(dir, examples, issues, options, warnings);
    }

    private static ImageCaptionDataset checked(Path dir, List<Example> examples, List<DatasetIssue> issues,
                                               DatasetOptions options, Consumer<String> warnings) {
        if (!issues.isEmpty() && !options.skipBadFiles()) {
            throw new DatasetException(dir, issues.size() + " bad file" + (issues.size() == 1 ? "" : "s"), issues);
        }
        if (examples.isEmpty()) {
            throw new DatasetException(dir, "no usable training images (expected .jpg, .jpeg, .png or .webp images"
                    + (options.captionsRequired() ? " with .txt captions of the same name" : "") + ")", issues);
        }
        if (!issues.isEmpty()) {
            warnings.accept("dataset " + dir + ": skipped " + issues.size() + " bad files: " + issues);
        }
        return new ImageCaptionDataset(dir, examples, issues);
    }

    private static void collect(Path folder, Map<String, Path> images, Map<String, Path> captions,
                                List<DatasetIssue> issues) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String stem = dot < 0 ? name : name.substring(0, dot);
            String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (images != null && IMAGE_EXTENSIONS.contains(extension)) {
                Path other = images.putIfAbsent(stem, file);
                if (other != null) {
                    issues.add(new DatasetIssue(file, "a second image named '" + stem + "' (also " + other.getFileName()
                            + "): its caption would be ambiguous"));
                }
            } else if (captions != null && CAPTION_EXTENSION.equals(extension)) {
                captions.put(stem, file);
            } else {
                issues.add(new DatasetIssue(file, "unsupported file type (expected .jpg, .jpeg, .png or .webp images"
                        + " and .txt captions)"));
            }
        }
    }

    private static Example read(String name, Path imageFile, Path captionFile, DatasetOptions options,
                                TrainTransform transform, List<DatasetIssue> issues, Consumer<String> warnings) {
        String caption = "";
        if (captionFile != null) {
            try {
                caption = readUtf8(captionFile).strip();
            } catch (IOException e) {
                issues.add(new DatasetIssue(captionFile, "caption cannot be read as UTF-8 text (" + e.getMessage() + ")"));
                return null;
            }
        }
        RgbImage image;
        try {
            image = ImageDecoder.decode(imageFile);
        } catch (IOException e) {
            issues.add(new DatasetIssue(imageFile, "unreadable image: " + e.getMessage()));
            return null;
        }
        int shorter = Math.min(image.width(), image.height());
        if (shorter < options.resolution()) {
            String size = image.width() + "x" + image.height();
            if (options.rejectSmallImages()) {
                issues.add(new DatasetIssue(imageFile, "image " + size + " is smaller than the resolution "
                        + options.resolution()));
                return null;
            }
            warnings.accept("image " + imageFile.getFileName() + " (" + size + ") is upscaled to the resolution "
                    + options.resolution());
        }
        return new Example(name, imageFile, caption, transform.resize(image));
    }

    private static String readUtf8(Path file) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not valid UTF-8", e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The usable pairs, sorted by name. */
    public List<Example> examples() {
        return examples;
    }

    /** The files left out because the options said to skip bad files. */
    public List<DatasetIssue> skipped() {
        return skipped;
    }

    public int size() {
        return examples.size();
    }
}
