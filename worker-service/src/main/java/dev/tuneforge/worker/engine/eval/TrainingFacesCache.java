package dev.tuneforge.worker.engine.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.worker.engine.image.RgbImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training-set embeddings computed once per dataset and face model, then reused for every
 * checkpoint: kept in memory (the last few sets) and, when a folder is given, on disk as JSON.
 * The key is a digest of the face model's name and the decoded pixels of the photos (order and
 * file names do not matter), so a changed photo or model is never served stale embeddings.
 */
final class TrainingFacesCache {

    private static final int MEMORY_ENTRIES = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Map<String, TrainingFaces> memory = Collections.synchronizedMap(
            new LinkedHashMap<>(MEMORY_ENTRIES, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TrainingFaces> eldest) {
                    return size() > MEMORY_ENTRIES;
                }
            });

    /** @param dir where to keep entries across processes, or null for memory only */
    TrainingFacesCache(Path dir) {
        this.dir = dir;
    }

    /**
     * The cache key of a training set.
     *
     * @param images the readable photos
     * @param unreadable "name: reason" of the others (part of the key: they show in the summary)
     */
    static String key(String faceModel, List<RgbImage> images, List<String> unreadable) {
        List<String> parts = new ArrayList<>();
        for (RgbImage image : images) {
            MessageDigest digest = sha256();
            digest.update((image.width() + "x" + image.height() + ":").getBytes(StandardCharsets.UTF_8));
            digest.update(image.bytes());
            parts.add(HexFormat.of().formatHex(digest.digest()));
        }
        Collections.sort(parts);
        List<String> errors = new ArrayList<>(unreadable);
        Collections.sort(errors);
        MessageDigest digest = sha256();
        digest.update((faceModel + "\n" + String.join("\n", parts) + "\n" + String.join("\n", errors))
                .getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The cached entry, or null. */
    TrainingFaces get(String key) {
        TrainingFaces cached = memory.get(key);
        if (cached != null || dir == null) {
            return cached;
        }
        Path file = dir.resolve(key + ".json");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Stored stored = JSON.readValue(file.toFile(), Stored.class);
            TrainingFaces faces = new TrainingFaces(stored.embeddings(), stored.summary());
            memory.put(key, faces);
            return faces;
        } catch (IOException e) {
            // A damaged entry is recomputed and overwritten, not fatal.
            return null;
        }
    }

    void put(String key, TrainingFaces faces) {
        memory.put(key, faces);
        if (dir == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, key, ".tmp");
            JSON.writeValue(tmp.toFile(), new Stored(faces.summary(), faces.embeddings()));
            Files.move(tmp, dir.resolve(key + ".json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training face cache in " + dir, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The on-disk form. */
    record Stored(TrainingSummary summary, List<float[]> embeddings) {
    }
}
