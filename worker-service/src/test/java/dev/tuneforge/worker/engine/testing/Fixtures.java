package dev.tuneforge.worker.engine.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.worker.engine.weights.SafeTensorsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One golden fixture set: the tensors of {@code fixtures.safetensors}, loaded into a manager this
 * set owns, and the parsed {@code fixtures.json} that says how each was made.
 */
public final class Fixtures implements AutoCloseable {

    private final Path dir;
    private final SafeTensorsFile file;
    private final JsonNode json;
    private final NDManager manager;

    private Fixtures(Path dir, SafeTensorsFile file, JsonNode json) {
        this.dir = dir;
        this.file = file;
        this.json = json;
        this.manager = NDManager.newBaseManager();
    }

    static Fixtures open(Path dir, String baseName) throws IOException {
        JsonNode json = new ObjectMapper().readTree(dir.resolve(baseName + ".json").toFile());
        return new Fixtures(dir, SafeTensorsFile.open(dir.resolve(baseName + ".safetensors")), json);
    }

    /** The folder these fixtures (and usually the model) live in. */
    public Path dir() {
        return dir;
    }

    /** The manager the fixture arrays are loaded into; closed with this set. */
    public NDManager manager() {
        return manager;
    }

    /** Names of all tensors. */
    public Set<String> names() {
        return file.names();
    }

    /** Names starting with {@code prefix}, sorted. */
    public Set<String> names(String prefix) {
        return file.names().stream().filter(n -> n.startsWith(prefix)).collect(Collectors.toCollection(TreeSet::new));
    }

    public boolean has(String name) {
        return file.contains(name);
    }

    /** The tensor {@code name}, loaded into {@link #manager()}. */
    public NDArray get(String name) {
        return file.load(name, manager);
    }

    /** The tensor {@code name}, loaded into another manager. */
    public NDArray get(String name, NDManager target) {
        return file.load(name, target);
    }

    /** The whole parsed fixtures.json. */
    public JsonNode json() {
        return json;
    }

    /** The {@code description} object of fixtures.json. */
    public JsonNode description() {
        return json.path("description");
    }

    /** The fixtures.json entry of tensor {@code name} (shape, dtype, note); missing node if none. */
    public JsonNode tensor(String name) {
        return json.path("tensors").path(name);
    }

    @Override
    public void close() throws IOException {
        manager.close();
        file.close();
    }
}
