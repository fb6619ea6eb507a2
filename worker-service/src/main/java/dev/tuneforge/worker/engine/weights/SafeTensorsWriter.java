package dev.tuneforge.worker.engine.weights;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the standard safetensors layout: 8-byte little-endian header length, a JSON header
 * padded with spaces to a multiple of 8, then the tensors back to back. Tensors are ordered as the
 * reference library orders them (wider element types first, then by name), which keeps every
 * tensor aligned to its element size.
 */
public final class SafeTensorsWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Entry> entries = new TreeMap<>();
    private final Map<String, String> metadata = new TreeMap<>();

    private record Entry(DType dtype, long[] shape, byte[] littleEndianData) {
    }

    /** Writes {@code tensors} and {@code metadata} to {@code path} in one call. */
    public static void write(Path path, Map<String, NDArray> tensors, Map<String, String> metadata)
            throws IOException {
        SafeTensorsWriter writer = new SafeTensorsWriter();
        tensors.forEach(writer::add);
        metadata.forEach(writer::metadata);
        writer.write(path);
    }

    /** Adds an NDArray (F32, F16, I64 or I32); its data is copied now. */
    public SafeTensorsWriter add(String name, NDArray array) {
        DType dtype = DType.of(array.getDataType());
        ByteBuffer data = array.toByteBuffer().order(ByteOrder.nativeOrder());
        ByteBuffer little = ByteBuffer.allocate(data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype.bytes()) {
            case 8:
                little.asLongBuffer().put(data.asLongBuffer());
                break;
            case 4:
                little.asIntBuffer().put(data.asIntBuffer());
                break;
            default:
                little.asShortBuffer().put(data.asShortBuffer());
        }
        return addRaw(name, dtype, array.getShape().getShape(), little.array());
    }

    /** Adds raw little-endian element bytes, e.g. BF16 data that must never become an NDArray. */
    public SafeTensorsWriter addRaw(String name, DType dtype, long[] shape, byte[] littleEndianData) {
        long count = new TensorInfo(name, dtype, shape, 0, 0).elementCount();
        if (count * dtype.bytes() != littleEndianData.length) {
            throw new IllegalArgumentException("tensor '" + name + "': " + littleEndianData.length
                    + " bytes do not match " + dtype + java.util.Arrays.toString(shape));
        }
        if (entries.putIfAbsent(name, new Entry(dtype, shape.clone(), littleEndianData)) != null) {
            throw new IllegalArgumentException("tensor '" + name + "' added twice");
        }
        return this;
    }

    public SafeTensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public void write(Path path) throws IOException {
        List<Map.Entry<String, Entry>> ordered = new ArrayList<>(entries.entrySet());
        ordered.sort(Comparator.<Map.Entry<String, Entry>>comparingInt(e -> -e.getValue().dtype().bytes())
                .thenComparing(Map.Entry::getKey));
        byte[] header = header(ordered);
        try (OutputStream out = Files.newOutputStream(path)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            for (Map.Entry<String, Entry> e : ordered) {
                out.write(e.getValue().littleEndianData());
            }
        }
    }

    private byte[] header(List<Map.Entry<String, Entry>> ordered) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            json.put("__metadata__", metadata);
        }
        long offset = 0;
        for (Map.Entry<String, Entry> e : ordered) {
            Entry entry = e.getValue();
            long end = offset + entry.littleEndianData().length;
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", entry.dtype().name());
            info.put("shape", entry.shape());
            info.put("data_offsets", new long[] {offset, end});
            json.put(e.getKey(), info);
            offset = end;
        }
        byte[] text = JSON.writeValueAsString(json).getBytes(StandardCharsets.UTF_8);
        byte[] padded = java.util.Arrays.copyOf(text, (text.length + 7) / 8 * 8);
        java.util.Arrays.fill(padded, text.length, padded.length, (byte) ' ');
        return padded;
    }
}
