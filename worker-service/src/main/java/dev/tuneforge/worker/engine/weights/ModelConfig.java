package dev.tuneforge.worker.engine.weights;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * A diffusers/transformers {@code config.json} or {@code scheduler_config.json}. A JSON null counts
 * as absent, so getters with a default return it; getters without one fail naming key and source.
 */
public final class ModelConfig {

    /** diffusers writes -Infinity/Infinity/NaN as bare tokens (e.g. lambda_min_clipped). */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final JsonNode root;
    private final String source;

    private ModelConfig(JsonNode root, String source) {
        this.root = root;
        this.source = source;
    }

    public static ModelConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("config file " + file + " does not exist");
        }
        return parse(Files.readString(file), file.toString());
    }

    /** Parses JSON text; {@code source} names it in error messages. */
    public static ModelConfig parse(String json, String source) throws IOException {
        JsonNode root = JSON.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException("config " + source + " is not a JSON object");
        }
        return new ModelConfig(root, source);
    }

    /** Where this config came from, for error messages. */
    public String source() {
        return source;
    }

    public boolean has(String key) {
        JsonNode node = root.get(key);
        return node != null && !node.isNull();
    }

    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        return Collections.unmodifiableList(keys);
    }

    /** The raw JSON value (e.g. to hand a sub-object to another reader). */
    public JsonNode node(String key) {
        return required(key);
    }

    public int getInt(String key) {
        return asInt(key, required(key));
    }

    public int getInt(String key, int defaultValue) {
        return has(key) ? getInt(key) : defaultValue;
    }

    public double getDouble(String key) {
        JsonNode node = required(key);
        if (!node.isNumber()) {
            throw wrongType(key, node, "a number");
        }
        return node.asDouble();
    }

    public double getDouble(String key, double defaultValue) {
        return has(key) ? getDouble(key) : defaultValue;
    }

    public String getString(String key) {
        JsonNode node = required(key);
        if (!node.isTextual()) {
            throw wrongType(key, node, "a string");
        }
        return node.asText();
    }

    public String getString(String key, String defaultValue) {
        return has(key) ? getString(key) : defaultValue;
    }

    public boolean getBoolean(String key) {
        JsonNode node = required(key);
        if (!node.isBoolean()) {
            throw wrongType(key, node, "a boolean");
        }
        return node.asBoolean();
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return has(key) ? getBoolean(key) : defaultValue;
    }

    /** A list of ints; a single number counts as a one-element list. */
    public List<Integer> getIntList(String key) {
        return list(key, n -> asInt(key, n));
    }

    /**
     * A per-block list of ints, e.g. {@code attention_head_dim}: a single number is repeated
     * {@code count} times, a list must have exactly {@code count} entries.
     */
    public List<Integer> getIntList(String key, int count) {
        JsonNode node = required(key);
        if (node.isNumber()) {
            return Collections.nCopies(count, asInt(key, node));
        }
        List<Integer> values = getIntList(key);
        if (values.size() != count) {
            throw new IllegalArgumentException("config " + source + ": '" + key + "' has " + values.size()
                    + " entries " + values + ", expected " + count);
        }
        return values;
    }

    /** A list of doubles; a single number counts as a one-element list. */
    public List<Double> getDoubleList(String key) {
        return list(key, n -> {
            if (!n.isNumber()) {
                throw wrongType(key, n, "a number");
            }
            return n.asDouble();
        });
    }

    /** A list of strings; a single string counts as a one-element list. */
    public List<String> getStringList(String key) {
        return list(key, n -> {
            if (!n.isTextual()) {
                throw wrongType(key, n, "a string");
            }
            return n.asText();
        });
    }

    @Override
    public String toString() {
        return "ModelConfig[" + source + "]";
    }

    private <T> List<T> list(String key, Function<JsonNode, T> element) {
        JsonNode node = required(key);
        List<T> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(element.apply(n)));
        } else {
            values.add(element.apply(node));
        }
        return Collections.unmodifiableList(values);
    }

    private JsonNode required(String key) {
        if (!has(key)) {
            throw new IllegalArgumentException("config " + source + " has no '" + key + "'");
        }
        return root.get(key);
    }

    private int asInt(String key, JsonNode node) {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw wrongType(key, node, "an integer");
        }
        return node.asInt();
    }

    private IllegalArgumentException wrongType(String key, JsonNode node, String expected) {
        return new IllegalArgumentException("config " + source + ": '" + key + "' is " + node + ", expected "
                + expected);
    }
}
