package dev.tuneforge.worker.engine.weights;

import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * One entry of a safetensors header.
 *
 * @param name state-dict key
 * @param dtype element type in the file
 * @param shape dimensions (empty for a 0-dim scalar)
 * @param begin first byte, relative to the start of the data section
 * @param end one past the last byte, relative to the start of the data section
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The shape as a DJL Shape. */
    public Shape djlShape() {
        return new Shape(shape);
    }

    /** Number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes the tensor occupies in the file. */
    public long byteLength() {
        return end - begin;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
    }
}
