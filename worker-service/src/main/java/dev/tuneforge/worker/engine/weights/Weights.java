package dev.tuneforge.worker.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * State-dict lookup over one or more safetensors files. Arrays are loaded on request into the
 * long-lived manager given here; a prefixed view lets a block ask for its own keys by their short
 * name. Every key handed out is recorded so a loader can report the keys nobody used.
 */
public final class Weights implements AutoCloseable {

    /** File names tried in a model folder, in diffusers' order of preference. */
    private static final List<String> SINGLE_FILES = List.of(
            "diffusion_pytorch_model.safetensors", "model.safetensors",
            "diffusion_pytorch_model.fp16.safetensors", "model.fp16.safetensors");

    private final Shared shared;
    private final String prefix;

    /** State shared by a root and all its prefixed views. */
    private static final class Shared {
        final NDManager manager;
        final List<SafeTensorsFile> files;
        final boolean ownsFiles;
        final Map<String, SafeTensorsFile> index = new LinkedHashMap<>();
        final Set<String> used = new HashSet<>();

        Shared(NDManager manager, List<SafeTensorsFile> files, boolean ownsFiles) {
            this.manager = manager;
            this.files = files;
            this.ownsFiles = ownsFiles;
        }
    }

    private Weights(Shared shared, String prefix) {
        this.shared = shared;
        this.prefix = prefix;
    }

    /** Looks keys up in {@code files} (the caller keeps ownership of them); a key in two files fails. */
    public static Weights of(NDManager manager, List<SafeTensorsFile> files) {
        return build(manager, files, false);
    }

    /**
     * Opens the weights of a diffusers/transformers model folder: the single safetensors file, or
     * every shard listed in a {@code *.safetensors.index.json}. Closing the result closes the files.
     */
    public static Weights openDir(Path dir, NDManager manager) throws IOException {
        List<Path> paths = weightFiles(dir);
        List<SafeTensorsFile> files = new ArrayList<>();
        try {
            for (Path path : paths) {
                files.add(SafeTensorsFile.open(path));
            }
            return build(manager, files, true);
        } catch (IOException | RuntimeException e) {
            for (SafeTensorsFile file : files) {
                file.close();
            }
            throw e;
        }
    }

    private static Weights build(NDManager manager, List<SafeTensorsFile> files, boolean owns) {
        Shared shared = new Shared(manager, List.copyOf(files), owns);
        for (SafeTensorsFile file : files) {
            for (String name : file.names()) {
                SafeTensorsFile other = shared.index.putIfAbsent(name, file);
                if (other != null) {
                    throw new SafeTensorsException("key '" + name + "' is in both " + other.path() + " and "
                            + file.path());
                }
            }
        }
        return new Weights(shared, "");
    }

    private static List<Path> weightFiles(Path dir) throws IOException {
        for (String name : SINGLE_FILES) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return List.of(candidate);
            }
        }
        try (DirectoryStream<Path> indexes = Files.newDirectoryStream(dir, "*.safetensors.index.json")) {
            for (Path index : indexes) {
                return shardsOf(dir, index);
            }
        }
        throw new IOException("no safetensors weights in " + dir + " (looked for " + SINGLE_FILES
                + " and *.safetensors.index.json)");
    }

    private static List<Path> shardsOf(Path dir, Path index) throws IOException {
        JsonNode weightMap = new ObjectMapper().readTree(index.toFile()).get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw new IOException("shard index " + index + " has no weight_map object");
        }
        Set<String> shardNames = new TreeSet<>();
        weightMap.forEach(n -> shardNames.add(n.asText()));
        return shardNames.stream().map(dir::resolve).collect(Collectors.toList());
    }

    /** A view in which key {@code k} means {@code prefix + "." + k} of this view. */
    public Weights prefixed(String subPrefix) {
        return new Weights(shared, qualify(subPrefix) + ".");
    }

    /** The full key prefix of this view ("" at the root, else ending with a dot). */
    public String prefix() {
        return prefix;
    }

    /** The full state-dict key a short key of this view stands for. */
    public String qualify(String key) {
        return prefix + key;
    }

    public boolean has(String key) {
        return shared.index.containsKey(qualify(key));
    }

    /** Loads {@code key} and checks its shape. */
    public NDArray get(String key, Shape expected) {
        String full = qualify(key);
        Shape actual = fileOf(full).info(full).djlShape();
        if (!actual.equals(expected)) {
            throw new SafeTensorsException("weight '" + full + "' has shape " + actual + ", expected " + expected);
        }
        return load(full);
    }

    /** Loads {@code key} whatever its shape. */
    public NDArray get(String key) {
        String full = qualify(key);
        fileOf(full);
        return load(full);
    }

    /** All keys of this view, as full keys. */
    public Set<String> keys() {
        return shared.index.keySet().stream().filter(k -> k.startsWith(prefix))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Full keys of this view that have not been loaded. */
    public Set<String> unusedKeys() {
        Set<String> unused = keys();
        unused.removeAll(shared.used);
        return Collections.unmodifiableSet(unused);
    }

    /** Closes the files if this set opened them; loaded arrays live on in their manager. */
    @Override
    public void close() throws IOException {
        if (shared.ownsFiles) {
            for (SafeTensorsFile file : shared.files) {
                file.close();
            }
        }
    }

    private NDArray load(String full) {
        NDArray array = shared.index.get(full).load(full, shared.manager);
        array.setName(full);
        shared.used.add(full);
        return array;
    }

    private SafeTensorsFile fileOf(String full) {
        SafeTensorsFile file = shared.index.get(full);
        if (file == null) {
            throw new SafeTensorsException("missing weight '" + full + "'" + nearest(full));
        }
        return file;
    }

    /** The keys sharing the longest dotted prefix with {@code full}: usually shows a naming slip. */
    private String nearest(String full) {
        String stem = full;
        while (stem.contains(".")) {
            stem = stem.substring(0, stem.lastIndexOf('.'));
            String dotted = stem + ".";
            List<String> near = shared.index.keySet().stream().filter(k -> k.startsWith(dotted)).sorted()
                    .limit(8).collect(Collectors.toList());
            if (!near.isEmpty()) {
                return "; keys under '" + dotted + "': " + near;
            }
        }
        return "; no key shares a prefix with it (" + shared.index.size() + " keys in " + fileNames() + ")";
    }

    private String fileNames() {
        return shared.files.stream().map(f -> f.path().toString()).collect(Collectors.joining(", "));
    }
}
