package dev.tuneforge.worker.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A safetensors file read lazily: the header is parsed and validated on open, each tensor is
 * memory-mapped on its own when loaded. Offsets are 64-bit, so multi-gigabyte UNet files work
 * although a single Java buffer is int-indexed.
 */
public final class SafeTensorsFile implements AutoCloseable {

    /** The reference implementation refuses larger headers; so do we, to fail fast on garbage. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final String METADATA_KEY = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafeTensorsFile(Path path, FileChannel channel, long dataStart,
                            Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens and validates {@code path}; a corrupt header fails with a {@link SafeTensorsException}. */
    public static SafeTensorsFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long fileSize = channel.size();
            long headerLength = readHeaderLength(path, channel, fileSize);
            JsonNode header = readHeader(path, channel, headerLength);
            long dataStart = 8 + headerLength;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, TensorInfo> tensors = parseEntries(path, header, metadata);
            validateLayout(path, tensors.values(), fileSize - dataStart);
            return new SafeTensorsFile(path, channel, dataStart, tensors, metadata);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** Header entry of {@code name}; fails naming the file if there is none. */
    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new SafeTensorsException("no tensor '" + name + "' in " + path);
        }
        return info;
    }

    /** The {@code __metadata__} map (empty if the file has none). */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /**
     * Loads one tensor into {@code manager}: F32 as is, F16/BF16 widened to F32, I64/I32 kept.
     * The array owns a private copy, so it stays valid after this file is closed.
     */
    public NDArray load(String name, NDManager manager) {
        TensorInfo info = info(name);
        long count = info.elementCount();
        if (count * Math.max(4, info.dtype().bytes()) > Integer.MAX_VALUE) {
            throw new SafeTensorsException("tensor '" + name + "' in " + path + " has " + count
                    + " elements, more than one NDArray buffer can hold");
        }
        ByteBuffer source = map(info).order(ByteOrder.LITTLE_ENDIAN);
        boolean readAsIs = !info.dtype().widened() && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        ByteBuffer data = readAsIs ? source : converted(info, source, count);
        return owned(manager.create(data, info.djlShape(), info.dtype().loadedAs()));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "SafeTensorsFile[" + path + ", " + tensors.size() + " tensors]";
    }

    private ByteBuffer map(TensorInfo info) {
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin(), info.byteLength());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map tensor '" + info.name() + "' of " + path, e);
        }
    }

    /** F16/BF16 widened to float32 (or any dtype put in native order) in a fresh direct buffer. */
    private static ByteBuffer converted(TensorInfo info, ByteBuffer source, long count) {
        ByteBuffer target = ByteBuffer.allocateDirect((int) count * info.dtype().loadedAs().getNumOfBytes())
                .order(ByteOrder.nativeOrder());
        switch (info.dtype()) {
            case F16:
            case BF16:
                widen(info.dtype(), source.asShortBuffer(), target.asFloatBuffer());
                break;
            case F32:
                target.asFloatBuffer().put(source.asFloatBuffer());
                break;
            case I64:
                target.asLongBuffer().put(source.asLongBuffer());
                break;
            case I32:
                target.asIntBuffer().put(source.asIntBuffer());
                break;
            default:
                throw new IllegalStateException("unhandled dtype " + info.dtype());
        }
        return target.rewind();
    }

    /**
     * On the CPU, DJL wraps the Java buffer without copying and keeps it referenced: a mapped
     * buffer would leave the array read-only and tied to the file, a direct one would count
     * against the JVM's direct-memory limit for as long as the weights live (3.4 GB for an SD UNet).
     * A libtorch-owned clone has neither problem; GPU arrays are copies already.
     */
    private static NDArray owned(NDArray wrapped) {
        if (wrapped.getDevice().isGpu()) {
            return wrapped;
        }
        NDArray copy = wrapped.duplicate();
        wrapped.close();
        return copy;
    }

    private static void widen(DType dtype, ShortBuffer halves, FloatBuffer floats) {
        boolean brain = dtype == DType.BF16;
        while (halves.hasRemaining()) {
            short bits = halves.get();
            floats.put(brain ? HalfFloats.bf16ToF32(bits) : HalfFloats.f16ToF32(bits));
        }
    }

    private static long readHeaderLength(Path path, FileChannel channel, long fileSize) throws IOException {
        if (fileSize < 8) {
            throw new SafeTensorsException(path + " is truncated: " + fileSize + " bytes, no header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8) {
            throw new SafeTensorsException("bad header length " + Long.toUnsignedString(headerLength)
                    + " in " + path + " (file size " + fileSize + ")");
        }
        return headerLength;
    }

    private static JsonNode readHeader(Path path, FileChannel channel, long headerLength) throws IOException {
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        try {
            JsonNode header = JSON.readTree(headerBytes.array());
            if (header == null || !header.isObject()) {
                throw new SafeTensorsException("header of " + path + " is not a JSON object");
            }
            return header;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SafeTensorsException("header of " + path + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            at += n;
        }
    }

    private static Map<String, TensorInfo> parseEntries(Path path, JsonNode header, Map<String, String> metadata) {
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (METADATA_KEY.equals(field.getKey())) {
                parseMetadata(path, field.getValue(), metadata);
            } else {
                tensors.put(field.getKey(), parseTensor(path, field.getKey(), field.getValue()));
            }
        }
        return tensors;
    }

    private static void parseMetadata(Path path, JsonNode node, Map<String, String> metadata) {
        if (!node.isObject()) {
            throw new SafeTensorsException(METADATA_KEY + " of " + path + " is not an object");
        }
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new SafeTensorsException(METADATA_KEY + " entry '" + e.getKey() + "' of " + path
                        + " is not a string");
            }
            metadata.put(e.getKey(), e.getValue().asText());
        });
    }

    private static TensorInfo parseTensor(Path path, String name, JsonNode node) {
        String where = "tensor '" + name + "' in " + path;
        JsonNode dtypeNode = node.get("dtype");
        JsonNode shapeNode = node.get("shape");
        JsonNode offsetsNode = node.get("data_offsets");
        if (dtypeNode == null || shapeNode == null || offsetsNode == null || !shapeNode.isArray()
                || !offsetsNode.isArray() || offsetsNode.size() != 2) {
            throw new SafeTensorsException(where + ": header entry needs dtype, shape and two data_offsets");
        }
        DType dtype = DType.parse(dtypeNode.asText())
                .orElseThrow(() -> new SafeTensorsException(where + ": unknown dtype '" + dtypeNode.asText() + "'"));
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegative(shapeNode.get(i), where, "shape");
        }
        long begin = nonNegative(offsetsNode.get(0), where, "data_offsets");
        long end = nonNegative(offsetsNode.get(1), where, "data_offsets");
        TensorInfo info = new TensorInfo(name, dtype, shape, begin, end);
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(info.elementCount(), dtype.bytes());
        } catch (ArithmeticException e) {
            throw new SafeTensorsException(where + ": shape overflows", e);
        }
        if (end < begin || end - begin != expectedBytes) {
            throw new SafeTensorsException(where + ": data_offsets [" + begin + ", " + end + ") do not hold "
                    + expectedBytes + " bytes for " + dtype + java.util.Arrays.toString(shape));
        }
        if (begin % dtype.bytes() != 0) {
            throw new SafeTensorsException(where + ": offset " + begin + " is not aligned to " + dtype.bytes()
                    + "-byte " + dtype + " elements");
        }
        return info;
    }

    private static long nonNegative(JsonNode node, String where, String field) {
        if (node == null || !node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < 0) {
            throw new SafeTensorsException(where + ": " + field + " holds " + node + ", not a non-negative integer");
        }
        return node.asLong();
    }

    /** Tensors must tile the data section exactly, as the reference implementation requires. */
    private static void validateLayout(Path path, Iterable<TensorInfo> infos, long dataLength) {
        List<TensorInfo> sorted = new ArrayList<>();
        infos.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        TensorInfo previous = null;
        for (TensorInfo info : sorted) {
            if (info.end() > dataLength) {
                throw new SafeTensorsException("tensor '" + info.name() + "' in " + path + " ends at byte "
                        + info.end() + " past the end of the data (" + dataLength + " bytes): file truncated?");
            }
            if (info.begin() < expected) {
                throw new SafeTensorsException("tensor '" + info.name() + "' in " + path + " overlaps tensor '"
                        + previous.name() + "'");
            }
            if (info.begin() > expected) {
                throw new SafeTensorsException("tensor '" + info.name() + "' in " + path + " starts at byte "
                        + info.begin() + ", leaving a hole after byte " + expected);
            }
            expected = info.end();
            previous = info;
        }
        if (expected != dataLength) {
            throw new SafeTensorsException(path + " has " + (dataLength - expected)
                    + " bytes after its last tensor: header and data disagree");
        }
    }
}
