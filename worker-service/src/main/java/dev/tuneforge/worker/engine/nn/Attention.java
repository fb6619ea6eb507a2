package dev.tuneforge.worker.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Multi-head scaled dot-product attention, {@code softmax(scale * Q K^T + mask) V}, on arrays laid
 * out as {@code (batch * heads, tokens, headDim)} the way diffusers' classic AttnProcessor does.
 * DJL has no fused attention kernel, so the score matrix grows with the square of the tokens;
 * {@link Options} slices the computation (over batch·heads and optionally over query rows) so that
 * only one slice of scores exists at a time.
 */
public final class Attention {

    private Attention() {
    }

    /**
     * How to compute attention.
     *
     * @param sliceSize batch·head rows per slice; 0 means all at once
     * @param querySliceSize query tokens per slice; 0 means all at once
     * @param upcast compute scores and softmax in float32 even for half-precision input
     */
    public record Options(int sliceSize, int querySliceSize, boolean upcast) {

        public Options {
            if (sliceSize < 0 || querySliceSize < 0) {
                throw new IllegalArgumentException("attention slice sizes must be >= 0, got " + sliceSize + " and "
                        + querySliceSize);
            }
        }

        /** Everything in one go, no upcast. */
        public static Options unsliced() {
            return new Options(0, 0, false);
        }

        public Options withSliceSize(int rows) {
            return new Options(rows, querySliceSize, upcast);
        }

        public Options withQuerySliceSize(int tokens) {
            return new Options(sliceSize, tokens, upcast);
        }

        public Options withUpcast(boolean upcastScores) {
            return new Options(sliceSize, querySliceSize, upcastScores);
        }
    }

    /** {@code (B, L, heads * D)} to {@code (B * heads, L, D)}. */
    public static NDArray splitHeads(NDArray x, int heads) {
        Shape s = x.getShape();
        long batch = s.get(0);
        long tokens = s.get(1);
        long dim = s.get(2) / heads;
        return x.reshape(batch, tokens, heads, dim).transpose(0, 2, 1, 3).reshape(batch * heads, tokens, dim);
    }

    /** {@code (B * heads, L, D)} back to {@code (B, L, heads * D)}. */
    public static NDArray mergeHeads(NDArray x, int heads) {
        Shape s = x.getShape();
        long batch = s.get(0) / heads;
        long tokens = s.get(1);
        long dim = s.get(2);
        return x.reshape(batch, heads, tokens, dim).transpose(0, 2, 1, 3).reshape(batch, tokens, heads * dim);
    }

    /**
     * @param query {@code (BH, Lq, D)}
     * @param key {@code (BH, Lk, D)}
     * @param value {@code (BH, Lk, Dv)}
     * @param mask additive, {@code (1 or BH, 1 or Lq, Lk)}, or null
     * @param scale factor on the scores, usually {@code 1 / sqrt(D)}
     * @return {@code (BH, Lq, Dv)} in the query's manager
     */
    public static NDArray scaledDotProduct(NDArray query, NDArray key, NDArray value, NDArray mask, float scale,
                                           Options options) {
        checkShapes(query, key, value, mask);
        long rows = query.getShape().get(0);
        long queries = query.getShape().get(1);
        long rowStep = options.sliceSize() == 0 ? rows : Math.min(options.sliceSize(), rows);
        long queryStep = options.querySliceSize() == 0 ? queries : Math.min(options.querySliceSize(), queries);
        if (rowStep == rows && queryStep == queries) {
            return attend(query, key, value, mask, scale, options.upcast());
        }
        NDManager owner = query.getManager();
        NDList rowBlocks = new NDList();
        for (long r0 = 0; r0 < rows; r0 += rowStep) {
            long r1 = Math.min(rows, r0 + rowStep);
            NDList queryBlocks = new NDList();
            for (long q0 = 0; q0 < queries; q0 += queryStep) {
                long q1 = Math.min(queries, q0 + queryStep);
                queryBlocks.add(slice(query, key, value, mask, scale, options.upcast(), r0, r1, q0, q1, owner));
            }
            rowBlocks.add(concatAndClose(queryBlocks, 1));
        }
        return concatAndClose(rowBlocks, 0);
    }

    /** One slice in its own sub-manager, so its scores are freed before the next slice starts. */
    private static NDArray slice(NDArray query, NDArray key, NDArray value, NDArray mask, float scale,
                                 boolean upcast, long r0, long r1, long q0, long q1, NDManager owner) {
        try (NDManager sub = owner.newSubManager()) {
            NDArray q = inSub(query.get(new NDIndex("{}:{}, {}:{}", r0, r1, q0, q1)), sub);
            NDArray k = inSub(key.get(new NDIndex("{}:{}", r0, r1)), sub);
            NDArray v = inSub(value.get(new NDIndex("{}:{}", r0, r1)), sub);
            NDArray m = mask == null ? null : inSub(sliceMask(mask, r0, r1, q0, q1), sub);
            NDArray out = attend(q, k, v, m, scale, upcast);
            out.attach(owner);
            return out;
        }
    }

    private static NDArray inSub(NDArray array, NDManager sub) {
        array.attach(sub);
        return array;
    }

    private static NDArray sliceMask(NDArray mask, long r0, long r1, long q0, long q1) {
        Shape s = mask.getShape();
        String rowsPart = s.get(0) == 1 ? ":" : r0 + ":" + r1;
        String queryPart = s.get(1) == 1 ? ":" : q0 + ":" + q1;
        return mask.get(new NDIndex(rowsPart + ", " + queryPart));
    }

    private static NDArray attend(NDArray query, NDArray key, NDArray value, NDArray mask, float scale,
                                  boolean upcast) {
        NDArray q = upcast ? query.toType(DataType.FLOAT32, false) : query;
        NDArray k = upcast ? key.toType(DataType.FLOAT32, false) : key;
        NDArray product = q.matMul(k.transpose(0, 2, 1));
        NDArray scores = product.mul(Scalars.like(product, scale));
        if (mask != null) {
            scores = scores.add(mask.toType(scores.getDataType(), false));
        }
        NDArray probabilities = scores.softmax(-1).toType(value.getDataType(), false);
        return probabilities.matMul(value);
    }

    private static NDArray concatAndClose(NDList parts, int axis) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        NDArray joined = NDArrays.concat(parts, axis);
        parts.close();
        return joined;
    }

    private static void checkShapes(NDArray query, NDArray key, NDArray value, NDArray mask) {
        Shape q = query.getShape();
        Shape k = key.getShape();
        Shape v = value.getShape();
        boolean ok = q.dimension() == 3 && k.dimension() == 3 && v.dimension() == 3 && q.get(0) == k.get(0)
                && k.get(0) == v.get(0) && q.get(2) == k.get(2) && k.get(1) == v.get(1);
        if (!ok) {
            throw new IllegalArgumentException("attention needs query (BH, Lq, D), key (BH, Lk, D), value (BH, Lk, Dv);"
                    + " got " + q + ", " + k + ", " + v);
        }
        if (mask != null) {
            Shape m = mask.getShape();
            boolean maskOk = m.dimension() == 3 && (m.get(0) == 1 || m.get(0) == q.get(0))
                    && (m.get(1) == 1 || m.get(1) == q.get(1)) && m.get(2) == k.get(1);
            if (!maskOk) {
                throw new IllegalArgumentException("attention mask must be (1 or " + q.get(0) + ", 1 or " + q.get(1)
                        + ", " + k.get(1) + "), got " + m);
            }
        }
    }
}
