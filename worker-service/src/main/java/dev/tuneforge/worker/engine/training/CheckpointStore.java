package dev.tuneforge.worker.engine.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;

/**
 * Checkpoint folders {@code step-N} under one root. A checkpoint is complete only once its
 * {@code manifest.json} exists: it is written last (atomically, by rename) and lists every file
 * with its size and SHA-256, so a folder left by a crash mid-write, or damaged later, is never
 * taken for a checkpoint. After each write only the newest {@code keep} complete checkpoints stay.
 */
public final class CheckpointStore {

    public static final String MANIFEST = "manifest.json";
    private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes one file of a checkpoint into the given path. */
    @FunctionalInterface
    public interface FileWriter {
        void write(Path target) throws IOException;
    }

    /** A complete, verified checkpoint. */
    public record Checkpoint(int step, Path dir) {

        public Path file(String name) {
            return dir.resolve(name);
        }
    }

    private final Path root;
    private final int keep;

    public CheckpointStore(Path root, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1, got " + keep);
        }
        this.root = root;
        this.keep = keep;
    }

    public Path root() {
        return root;
    }

    /**
     * Writes checkpoint {@code step}: every file, then the manifest, then removes the older
     * checkpoints beyond the newest {@code keep} (and any incomplete folders).
     */
    public Checkpoint write(int step, Map<String, FileWriter> files) throws IOException {
        Path dir = root.resolve("step-" + step);
        deleteTree(dir);
        Files.createDirectories(dir);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", 1);
        manifest.put("step", step);
        ObjectNode listed = manifest.putObject("files");
        for (Map.Entry<String, FileWriter> file : files.entrySet()) {
            Path target = dir.resolve(file.getKey());
            file.getValue().write(target);
            listed.putObject(file.getKey()).put("bytes", Files.size(target)).put("sha256", sha256(target));
        }
        Path temporary = dir.resolve(MANIFEST + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), manifest);
        Files.move(temporary, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
        prune();
        return new Checkpoint(step, dir);
    }

    /**
     * The newest complete checkpoint whose files match its manifest; damaged ones are skipped with a
     * warning naming what is wrong.
     */
    public Optional<Checkpoint> latest(Consumer<String> warnings) throws IOException {
        for (Checkpoint candidate : complete()) {
            String problem = verify(candidate);
            if (problem == null) {
                return Optional.of(candidate);
            }
            warnings.accept("checkpoint " + candidate.dir() + " is ignored: " + problem);
        }
        return Optional.empty();
    }

    /** Complete checkpoints (with a manifest), newest first. */
    public List<Checkpoint> complete() throws IOException {
        List<Checkpoint> found = new ArrayList<>();
        for (Path dir : stepDirs()) {
            if (Files.isRegularFile(dir.resolve(MANIFEST))) {
                found.add(new Checkpoint(stepOf(dir), dir));
            }
        }
        found.sort(Comparator.comparingInt(Checkpoint::step).reversed());
        return found;
    }

    private void prune() throws IOException {
        List<Checkpoint> complete = complete();
        for (Checkpoint old : complete.subList(Math.min(keep, complete.size()), complete.size())) {
            deleteTree(old.dir());
        }
        int newest = complete.isEmpty() ? Integer.MAX_VALUE : complete.get(0).step();
        for (Path dir : stepDirs()) {
            if (!Files.exists(dir.resolve(MANIFEST)) && stepOf(dir) < newest) {
                deleteTree(dir);
            }
        }
    }

    private static String verify(Checkpoint checkpoint) throws IOException {
        JsonNode manifest;
        try {
            manifest = JSON.readTree(checkpoint.file(MANIFEST).toFile());
        } catch (IOException e) {
            return "unreadable manifest (" + e.getMessage() + ")";
        }
        if (manifest.path("step").asInt(-1) != checkpoint.step()) {
            return "manifest is for step " + manifest.path("step");
        }
        Map<String, JsonNode> files = new LinkedHashMap<>();
        manifest.path("files").properties().forEach(e -> files.put(e.getKey(), e.getValue()));
        for (Map.Entry<String, JsonNode> file : files.entrySet()) {
            Path path = checkpoint.file(file.getKey());
            if (!Files.isRegularFile(path)) {
                return file.getKey() + " is missing";
            }
            if (Files.size(path) != file.getValue().path("bytes").asLong(-1)) {
                return file.getKey() + " has " + Files.size(path) + " bytes, the manifest says "
                        + file.getValue().path("bytes");
            }
            if (!sha256(path).equals(file.getValue().path("sha256").asText())) {
                return file.getKey() + " does not match its SHA-256";
            }
        }
        return null;
    }

    private List<Path> stepDirs() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> listing = Files.list(root)) {
            return listing.filter(Files::isDirectory).filter(d -> STEP_DIR.matcher(d.getFileName().toString()).matches())
                    .toList();
        }
    }

    private static int stepOf(Path dir) {
        Matcher m = STEP_DIR.matcher(dir.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(dir + " is not a checkpoint folder");
        }
        return Integer.parseInt(m.group(1));
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[1 << 16];
            while (in.read(buffer) >= 0) {
                // reading feeds the digest
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        PathUtils.deleteDirectory(dir);
    }
}
