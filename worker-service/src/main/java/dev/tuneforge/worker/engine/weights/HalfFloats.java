package dev.tuneforge.worker.engine.weights;

/** IEEE half (F16) and bfloat16 (BF16) to float32, done in Java because DJL cannot hold BF16 arrays. */
final class HalfFloats {

    /** Every F16 bit pattern decoded once: a table lookup is far cheaper than bit fiddling per weight. */
    private static final float[] F16_TABLE = buildF16Table();

    private HalfFloats() {
    }

    static float f16ToF32(short bits) {
        return F16_TABLE[bits & 0xffff];
    }

    static float bf16ToF32(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    private static float[] buildF16Table() {
        float[] table = new float[1 << 16];
        for (int bits = 0; bits < table.length; bits++) {
            table[bits] = decodeF16(bits);
        }
        return table;
    }

    private static float decodeF16(int bits) {
        int sign = (bits >>> 15) & 0x1;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        float magnitude;
        if (exponent == 0) {
            magnitude = mantissa * 0x1p-24f; // subnormal: mantissa * 2^-14 / 2^10
        } else if (exponent == 0x1f) {
            magnitude = mantissa == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            magnitude = Float.intBitsToFloat(((exponent - 15 + 127) << 23) | (mantissa << 13));
        }
        return sign == 0 ? magnitude : -magnitude;
    }
}
