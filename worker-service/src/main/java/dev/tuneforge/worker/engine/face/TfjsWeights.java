package dev.tuneforge.worker.engine.face;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The weights of a TensorFlow.js model: {@code <model>-weights_manifest.json} lists groups of
 * weights (name, shape, dtype, optional quantization) stored back to back in the group's
 * {@code .bin} shards. Quantized float32 weights are restored exactly as tfjs's
 * {@code decodeWeights} does: {@code (float) (q * scale + min)} computed in double.
 */
public final class TfjsWeights {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One weight as tfjs holds it; int32 weights (graph constants some models carry) are given as
     * floats too.
     *
     * @param shape tfjs shape (NHWC conventions: conv filters are {@code [kh, kw, in, out]})
     * @param values row-major values
     */
    public record Tensor(String name, int[] shape, float[] values) {

        public Tensor {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** The value at flat index {@code i}. */
        public float at(int i) {
            return values[i];
        }
    }

    private final String source;
    private final Map<String, Tensor> tensors;
    private final Set<String> used = new HashSet<>();

    private TfjsWeights(String source, Map<String, Tensor> tensors) {
        this.source = source;
        this.tensors = tensors;
    }

    /** Reads {@code <model>-weights_manifest.json} and its shards from {@code files}. */
    public static TfjsWeights load(FaceModelFiles files, String model) throws IOException {
        String manifestName = model + "-weights_manifest.json";
        JsonNode manifest;
        try (InputStream in = files.open(manifestName)) {
            manifest = JSON.readTree(in);
        }
        String source = files.describe(manifestName);
        if (manifest == null || !manifest.isArray()) {
            throw new IOException("tfjs manifest " + source + " is not a JSON array of weight groups");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (JsonNode group : manifest) {
            ByteBuffer bytes = ByteBuffer.wrap(readShards(files, group, source)).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode spec : group.path("weights")) {
                Tensor tensor = decode(spec, bytes, source);
                if (tensors.put(tensor.name(), tensor) != null) {
                    throw new IOException("tfjs manifest " + source + " lists weight '" + tensor.name() + "' twice");
                }
            }
            if (bytes.hasRemaining()) {
                throw new IOException("tfjs shards " + group.path("paths") + " of " + source + " hold "
                        + bytes.remaining() + " bytes more than the manifest's weights");
            }
        }
        return new TfjsWeights(source, tensors);
    }

    private static byte[] readShards(FaceModelFiles files, JsonNode group, String source) throws IOException {
        if (!group.path("paths").isArray() || group.path("paths").isEmpty()) {
            throw new IOException("tfjs manifest " + source + " has a weight group without 'paths'");
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (JsonNode path : group.path("paths")) {
            try (InputStream in = files.open(path.asText())) {
                in.transferTo(all);
            }
        }
        return all.toByteArray();
    }

    private static Tensor decode(JsonNode spec, ByteBuffer bytes, String source) throws IOException {
        String name = spec.path("name").asText();
        int[] shape = new int[spec.path("shape").size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = spec.path("shape").get(i).asInt();
            count *= shape[i];
        }
        String dtype = spec.path("dtype").asText();
        if (!"float32".equals(dtype) && !"int32".equals(dtype)) {
            throw new IOException("tfjs weight '" + name + "' in " + source + " has dtype '" + dtype
                    + "'; supported: float32, int32");
        }
        JsonNode quantization = spec.path("quantization");
        String stored = quantization.isObject() ? quantization.path("dtype").asText() : dtype;
        int width = switch (stored) {
            case "float32", "int32" -> 4;
            case "uint16" -> 2;
            case "uint8" -> 1;
            default -> throw new IOException("tfjs weight '" + name + "' in " + source + " is quantized as '"
                    + stored + "'; supported: uint8, uint16 (with scale and min) or none");
        };
        if (bytes.remaining() < count * width) {
            throw new IOException("tfjs weight '" + name + "' " + Arrays.toString(shape) + " needs " + count * width
                    + " bytes but the shards of " + source + " have only " + bytes.remaining() + " left");
        }
        float[] values = new float[(int) count];
        if (width == 4) {
            for (int i = 0; i < values.length; i++) {
                values[i] = "int32".equals(stored) ? bytes.getInt() : bytes.getFloat();
            }
        } else {
            if (!quantization.has("scale") || !quantization.has("min")) {
                throw new IOException("tfjs weight '" + name + "' in " + source + " is quantized as " + stored
                        + " without scale and min");
            }
            double scale = quantization.get("scale").asDouble();
            double min = quantization.get("min").asDouble();
            boolean integer = "int32".equals(dtype);
            for (int i = 0; i < values.length; i++) {
                int q = width == 1 ? bytes.get() & 0xff : bytes.getShort() & 0xffff;
                double v = q * scale + min;
                // tfjs rounds dequantized int32 weights with Math.round (half up).
                values[i] = integer ? (float) Math.floor(v + 0.5) : (float) v;
            }
        }
        return new Tensor(name, shape, values);
    }

    /** Weight {@code name}, which must have {@code expectedShape}. */
    public Tensor get(String name, int... expectedShape) {
        Tensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("tfjs weights " + source + " have no '" + name + "'");
        }
        if (!Arrays.equals(tensor.shape, expectedShape)) {
            throw new IllegalArgumentException("tfjs weight '" + name + "' in " + source + " has shape "
                    + Arrays.toString(tensor.shape) + ", expected " + Arrays.toString(expectedShape));
        }
        used.add(name);
        return tensor;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** All weight names, in manifest order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    /** Names never handed out by {@link #get}. */
    public Set<String> unusedNames() {
        Set<String> unused = new TreeSet<>(tensors.keySet());
        unused.removeAll(used);
        return unused;
    }

    /** Where these weights were read from. */
    public String source() {
        return source;
    }
}
