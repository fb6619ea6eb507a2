package dev.tuneforge.api.datasets;

import dev.tuneforge.api.assets.RejectedFile;
import dev.tuneforge.api.assets.UploadedFile;
import dev.tuneforge.common.storage.ObjectKeys;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Decides which files of a dataset upload can be stored: each image must decode (ImageIO with the
 * TwelveMonkeys plugins, as the worker decodes it: WebP and CMYK JPEG included), each caption must
 * be UTF-8 text, and images and captions pair up by file name ({@code cat.png} + {@code cat.txt}).
 * Everything else is rejected with its reason; a caption whose image was rejected goes with it.
 */
final class DatasetCheck {
    static final String CAPTION = "txt";

    private DatasetCheck() {
    }

    /** An image with its caption, under the shared file name {@code stem}. */
    record Pair(String stem, UploadedFile image, String extension, UploadedFile caption) {
    }

    record Result(List<Pair> pairs, List<RejectedFile> rejected) {
    }

    static Result check(List<UploadedFile> files, long maxFileBytes) {
        List<RejectedFile> rejected = new ArrayList<>();
        Map<String, List<UploadedFile>> images = new LinkedHashMap<>();
        Map<String, List<UploadedFile>> captions = new LinkedHashMap<>();
        Set<String> rejectedImages = new HashSet<>();
        for (UploadedFile file : files) {
            String problem = problem(file, maxFileBytes);
            if (problem != null) {
                rejected.add(new RejectedFile(file.name(), problem));
                if (!CAPTION.equals(extension(file))) {
                    rejectedImages.add(stem(file));
                }
            } else {
                (CAPTION.equals(extension(file)) ? captions : images)
                        .computeIfAbsent(stem(file), k -> new ArrayList<>()).add(file);
            }
        }
        List<Pair> pairs = new ArrayList<>();
        for (Map.Entry<String, List<UploadedFile>> entry : images.entrySet()) {
            String stem = entry.getKey();
            List<UploadedFile> image = entry.getValue();
            List<UploadedFile> caption = captions.remove(stem);
            if (image.size() > 1) {
                image.forEach(f -> rejected.add(new RejectedFile(f.name(), "several images are named '" + stem
                        + "'; each image needs a file name of its own")));
                rejectAll(caption, "its image name '" + stem + "' is ambiguous", rejected);
            } else if (caption == null) {
                rejected.add(new RejectedFile(image.get(0).name(), "no caption: expected '" + stem + ".txt'"));
            } else if (caption.size() > 1) {
                rejectAll(caption, "several captions are named '" + stem + ".txt'", rejected);
                rejected.add(new RejectedFile(image.get(0).name(), "its caption '" + stem + ".txt' is ambiguous"));
            } else {
                pairs.add(new Pair(stem, image.get(0), extension(image.get(0)), caption.get(0)));
            }
        }
        captions.forEach((stem, orphans) -> rejectAll(orphans, rejectedImages.contains(stem)
                ? "its image '" + stem + "' was rejected"
                : "no image: expected '" + stem + "' with one of "
                        + ObjectKeys.IMAGE_EXTENSIONS.stream().sorted().map(e -> "." + e).toList(), rejected));
        return new Result(pairs, rejected);
    }

    private static void rejectAll(List<UploadedFile> files, String reason, List<RejectedFile> rejected) {
        if (files != null) {
            files.forEach(f -> rejected.add(new RejectedFile(f.name(), reason)));
        }
    }

    /** What is wrong with the file on its own, or null. */
    private static String problem(UploadedFile file, long maxFileBytes) {
        String extension = extension(file);
        if (!CAPTION.equals(extension) && !ObjectKeys.IMAGE_EXTENSIONS.contains(extension)) {
            return "not an image (.jpg, .jpeg, .png, .webp) or a caption (.txt)";
        }
        if (file.size() > maxFileBytes) {
            return file.size() + " bytes; at most " + maxFileBytes + " per file";
        }
        try {
            ObjectKeys.datasetCaption("t", "d", stem(file));
        } catch (IllegalArgumentException e) {
            return "file name not usable: " + e.getMessage();
        }
        return CAPTION.equals(extension) ? captionProblem(file) : imageProblem(file);
    }

    private static String imageProblem(UploadedFile file) {
        try {
            BufferedImage image = ImageIO.read(file.path().toFile());
            if (image == null) {
                return "not a decodable image (no image reader recognises its content)";
            }
            return image.getWidth() > 0 && image.getHeight() > 0 ? null : "image has no pixels";
        } catch (IOException | RuntimeException e) {
            return "image cannot be decoded: " + e.getMessage();
        }
    }

    private static String captionProblem(UploadedFile file) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file.path())));
            return null;
        } catch (CharacterCodingException e) {
            return "caption is not UTF-8 text";
        } catch (IOException e) {
            return "caption cannot be read: " + e.getMessage();
        }
    }

    /** The name without folders or extension: {@code photos/cat.PNG} → {@code cat}. */
    static String stem(UploadedFile file) {
        String base = baseName(file);
        int dot = base.lastIndexOf('.');
        return dot < 0 ? base : base.substring(0, dot);
    }

    /** Lower-case extension without the dot; empty when there is none. */
    static String extension(UploadedFile file) {
        String base = baseName(file);
        int dot = base.lastIndexOf('.');
        return dot < 0 ? "" : base.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String baseName(UploadedFile file) {
        String name = file.name();
        return name.substring(name.lastIndexOf('/') + 1);
    }
}
