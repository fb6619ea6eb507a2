package dev.tuneforge.worker.engine.weights;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Optional;

/** The safetensors element types the engine reads, with their size and the DJL type they load as. */
public enum DType {
    F32(4, DataType.FLOAT32),
    F16(2, DataType.FLOAT32),
    BF16(2, DataType.FLOAT32),
    I64(8, DataType.INT64),
    I32(4, DataType.INT32);

    private final int bytes;
    private final DataType loadedAs;

    DType(int bytes, DataType loadedAs) {
        this.bytes = bytes;
        this.loadedAs = loadedAs;
    }

    /** Bytes per element in the file. */
    public int bytes() {
        return bytes;
    }

    /** The NDArray type a tensor of this dtype becomes: half precision is widened to F32. */
    public DataType loadedAs() {
        return loadedAs;
    }

    /** Whether loading converts the elements (half precision to float32) rather than copying them. */
    public boolean widened() {
        return this == F16 || this == BF16;
    }

    /** The dtype named in a safetensors header, if the engine knows it. */
    public static Optional<DType> parse(String name) {
        return Arrays.stream(values()).filter(d -> d.name().equals(name)).findFirst();
    }

    /** The dtype an NDArray is written as; BF16 arrays never exist in the engine (they abort the JVM). */
    public static DType of(DataType type) {
        switch (type) {
            case FLOAT32:
                return F32;
            case FLOAT16:
                return F16;
            case INT64:
                return I64;
            case INT32:
                return I32;
            default:
                throw new IllegalArgumentException("cannot write NDArray of type " + type + " to safetensors");
        }
    }
}
