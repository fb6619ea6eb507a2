package dev.tuneforge.worker.engine.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsFileTest {

    @TempDir
    Path tmp;

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void roundTripKeepsValuesShapesTypesAndMetadata() throws IOException {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("b.weight", manager.create(new float[] {1.5f, -2f, 3.25f, 0f, 1e-8f, -7f}, new Shape(2, 3)));
        tensors.put("a.steps", manager.create(new long[] {1, 999, -4}, new Shape(3)));
        tensors.put("c.ids", manager.create(new int[] {7, 8}, new Shape(2)));
        tensors.put("scalar", manager.create(new long[] {500}, new Shape()));
        Path path = tmp.resolve("rt.safetensors");
        SafeTensorsWriter.write(path, tensors, Map.of("format", "pt"));

        try (SafeTensorsFile file = SafeTensorsFile.open(path)) {
            assertThat(file.names()).containsExactlyInAnyOrder("a.steps", "b.weight", "c.ids", "scalar");
            assertThat(file.metadata()).containsEntry("format", "pt");
            assertThat(file.info("b.weight").dtype()).isEqualTo(DType.F32);
            assertThat(file.info("b.weight").shape()).containsExactly(2, 3);
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                NDArray loaded = file.load(e.getKey(), manager);
                assertThat(loaded.getShape()).as(e.getKey()).isEqualTo(e.getValue().getShape());
                assertThat(loaded.getDataType()).as(e.getKey()).isEqualTo(e.getValue().getDataType());
                assertThat(loaded.contentEquals(e.getValue())).as(e.getKey()).isTrue();
            }
        }
    }

    @Test
    void headerIsPaddedToEightBytesAndTensorsAreSortedWidestFirstThenByName() throws IOException {
        Path path = tmp.resolve("order.safetensors");
        new SafeTensorsWriter()
                .add("z", manager.create(new float[] {1f}))
                .add("y", manager.create(new long[] {2L}))
                .add("a", manager.create(new float[] {3f}))
                .write(path);
        byte[] bytes = Files.readAllBytes(path);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLength % 8).isZero();
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertThat(header.indexOf("\"y\"")).isLessThan(header.indexOf("\"a\""));
        assertThat(header.indexOf("\"a\"")).isLessThan(header.indexOf("\"z\""));
        try (SafeTensorsFile file = SafeTensorsFile.open(path)) {
            assertThat(file.info("y").begin()).isZero();
            assertThat(file.info("a").begin()).isEqualTo(8);
            assertThat(file.info("z").begin()).isEqualTo(12);
        }
    }

    @Test
    void halfPrecisionIsWidenedToFloat32() throws IOException {
        // 1.0, -2.0, 65504 (max half), 2^-24 (smallest subnormal), -0.0, +inf
        short[] f16 = {0x3c00, (short) 0xc000, 0x7bff, 0x0001, (short) 0x8000, 0x7c00};
        // bf16 is the top half of a float32: 1.0, -2.5, 3.140625
        short[] bf16 = {0x3f80, (short) 0xc020, 0x4049};
        Path path = tmp.resolve("half.safetensors");
        new SafeTensorsWriter()
                .addRaw("h", DType.F16, new long[] {2, 3}, littleEndian(f16))
                .addRaw("b", DType.BF16, new long[] {3}, littleEndian(bf16))
                .write(path);
        try (SafeTensorsFile file = SafeTensorsFile.open(path)) {
            NDArray h = file.load("h", manager);
            assertThat(h.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(h.getShape()).isEqualTo(new Shape(2, 3));
            assertThat(h.toFloatArray()).containsExactly(1f, -2f, 65504f, 0x1p-24f, -0f, Float.POSITIVE_INFINITY);
            NDArray b = file.load("b", manager);
            assertThat(b.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(b.toFloatArray()).containsExactly(1f, -2.5f, 3.140625f);
        }
    }

    @Test
    void float16ArraysRoundTripThroughTheWriter() throws IOException {
        NDArray values = manager.create(new float[] {0.5f, -1.25f, 1024f}).toType(DataType.FLOAT16, false);
        Path path = tmp.resolve("f16.safetensors");
        new SafeTensorsWriter().add("x", values).write(path);
        try (SafeTensorsFile file = SafeTensorsFile.open(path)) {
            assertThat(file.info("x").dtype()).isEqualTo(DType.F16);
            assertThat(file.load("x", manager).toFloatArray()).containsExactly(0.5f, -1.25f, 1024f);
        }
    }

    @Test
    void arraysOutliveTheClosedFile() throws IOException {
        Path path = tmp.resolve("live.safetensors");
        new SafeTensorsWriter().add("x", manager.create(new float[] {4f, 5f})).write(path);
        NDArray x;
        try (SafeTensorsFile file = SafeTensorsFile.open(path)) {
            x = file.load("x", manager);
        }
        assertThat(x.add(1f).toFloatArray()).containsExactly(5f, 6f);
        x.addi(10f); // writable: not a view of the read-only mapping
        assertThat(x.toFloatArray()).containsExactly(14f, 15f);
    }

    /** A tensor behind 2 GiB of data loads (64-bit offsets); a tensor too big for one buffer fails naming it. */
    @Test
    void offsetsBeyondTwoGigabytesWork() throws IOException {
        long big = 1L << 31;
        String header = "{\"big\":{\"dtype\":\"F32\",\"shape\":[" + big / 4 + "],\"data_offsets\":[0," + big + "]},"
                + "\"tail\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + big + "," + (big + 8) + "]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path path = tmp.resolve("sparse.safetensors");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(path.toFile(), "rw")) {
            file.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            file.write(json);
            file.seek(8 + json.length + big); // sparse: the 2 GiB before it take no disk space
            file.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(2.5f).putFloat(-1f).array());
        }
        try (SafeTensorsFile file = SafeTensorsFile.open(path)) {
            assertThat(file.load("tail", manager).toFloatArray()).containsExactly(2.5f, -1f);
            assertThatThrownBy(() -> file.load("big", manager))
                    .isInstanceOf(SafeTensorsException.class)
                    .hasMessageContaining("'big'");
        }
    }

    @Test
    void badHeaderLengthIsRejectedNamingTheFile() throws IOException {
        Path path = tmp.resolve("badlen.safetensors");
        ByteBuffer bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
        Files.write(path, bytes.array());
        assertThatThrownBy(() -> SafeTensorsFile.open(path))
                .isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("bad header length")
                .hasMessageContaining(path.toString());
    }

    @Test
    void tooShortFileIsRejected() throws IOException {
        Path path = tmp.resolve("tiny.safetensors");
        Files.write(path, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafeTensorsFile.open(path))
                .isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining(path.toString());
    }

    @Test
    void truncatedDataIsRejectedNamingFileAndTensor() throws IOException {
        Path path = tmp.resolve("trunc.safetensors");
        new SafeTensorsWriter().add("big", manager.ones(new Shape(100))).write(path);
        byte[] bytes = Files.readAllBytes(path);
        Files.write(path, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertThatThrownBy(() -> SafeTensorsFile.open(path))
                .isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("'big'")
                .hasMessageContaining(path.toString())
                .hasMessageContaining("past the end");
    }

    @Test
    void overlappingRangesAreRejected() throws IOException {
        Path path = writeRaw("overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
        assertThatThrownBy(() -> SafeTensorsFile.open(path))
                .isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("'b'")
                .hasMessageContaining("overlaps tensor 'a'")
                .hasMessageContaining(path.toString());
    }

    @Test
    void misalignedOffsetsAreRejected() throws IOException {
        Path path = writeRaw("misaligned", "{\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}", 6);
        assertThatThrownBy(() -> SafeTensorsFile.open(path))
                .isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("'b'")
                .hasMessageContaining("not aligned");
    }

    @Test
    void offsetsThatDisagreeWithTheShapeAreRejected() throws IOException {
        Path path = writeRaw("size", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
        assertThatThrownBy(() -> SafeTensorsFile.open(path))
                .isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("'a'")
                .hasMessageContaining("12 bytes");
    }

    @Test
    void unknownDtypeIsRejectedNamingIt() throws IOException {
        Path path = writeRaw("dtype", "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1);
        assertThatThrownBy(() -> SafeTensorsFile.open(path))
                .isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("'a'")
                .hasMessageContaining("F8_E4M3")
                .hasMessageContaining(path.toString());
    }

    @Test
    void headerThatIsNotJsonIsRejected() throws IOException {
        Path path = writeRaw("json", "{\"a\": [oops", 0);
        assertThatThrownBy(() -> SafeTensorsFile.open(path))
                .isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("not valid JSON")
                .hasMessageContaining(path.toString());
    }

    @Test
    void unknownTensorNameFailsNamingTheFile() throws IOException {
        Path path = tmp.resolve("one.safetensors");
        new SafeTensorsWriter().add("x", manager.create(new float[] {1f})).write(path);
        try (SafeTensorsFile file = SafeTensorsFile.open(path)) {
            assertThatThrownBy(() -> file.load("y", manager))
                    .hasMessageContaining("'y'")
                    .hasMessageContaining(path.toString());
        }
    }

    private Path writeRaw(String name, String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(json.length).put(json);
        Path path = tmp.resolve(name + ".safetensors");
        Files.write(path, bytes.array());
        return path;
    }

    private static byte[] littleEndian(short[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            bytes.putShort(v);
        }
        return bytes.array();
    }
}
