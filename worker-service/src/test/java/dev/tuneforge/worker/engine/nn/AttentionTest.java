package dev.tuneforge.worker.engine.nn;

import static dev.tuneforge.worker.engine.testing.Tensors.assertClose;
import static dev.tuneforge.worker.engine.testing.Tensors.randn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AttentionTest {

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
    void matchesSoftmaxOfScaledScoresTimesValues() {
        int rows = 3;
        int lq = 4;
        int lk = 5;
        int d = 2;
        int dv = 3;
        float scale = 0.7f;
        NDArray q = randn(manager, 21, rows, lq, d);
        NDArray k = randn(manager, 22, rows, lk, d);
        NDArray v = randn(manager, 23, rows, lk, dv);
        NDArray mask = randn(manager, 24, 1, lq, lk);
        NDArray actual = Attention.scaledDotProduct(q, k, v, mask, scale, Attention.Options.unsliced());

        float[] qs = q.toFloatArray();
        float[] ks = k.toFloatArray();
        float[] vs = v.toFloatArray();
        float[] ms = mask.toFloatArray();
        float[] expected = new float[rows * lq * dv];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < lq; i++) {
                double[] scores = new double[lk];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < lk; j++) {
                    double dot = 0;
                    for (int c = 0; c < d; c++) {
                        dot += qs[(r * lq + i) * d + c] * ks[(r * lk + j) * d + c];
                    }
                    scores[j] = dot * scale + ms[i * lk + j];
                    max = Math.max(max, scores[j]);
                }
                double total = 0;
                for (int j = 0; j < lk; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    total += scores[j];
                }
                for (int c = 0; c < dv; c++) {
                    double sum = 0;
                    for (int j = 0; j < lk; j++) {
                        sum += scores[j] / total * vs[(r * lk + j) * dv + c];
                    }
                    expected[(r * lq + i) * dv + c] = (float) sum;
                }
            }
        }
        assertClose(actual, manager.create(expected, new Shape(rows, lq, dv)), 1e-5, "attention");
    }

    @Test
    void slicedEqualsUnslicedOverRowsAndQueries() {
        NDArray q = randn(manager, 31, 6, 9, 4);
        NDArray k = randn(manager, 32, 6, 7, 4);
        NDArray v = randn(manager, 33, 6, 7, 5);
        NDArray perRowMask = randn(manager, 34, 6, 9, 7);
        NDArray sharedMask = randn(manager, 35, 1, 1, 7);
        for (NDArray mask : new NDArray[] {null, perRowMask, sharedMask}) {
            NDArray full = Attention.scaledDotProduct(q, k, v, mask, 0.5f, Attention.Options.unsliced());
            for (int rows : new int[] {1, 4, 6, 100}) {
                for (int queries : new int[] {0, 2, 9}) {
                    Attention.Options options = Attention.Options.unsliced().withSliceSize(rows)
                            .withQuerySliceSize(queries);
                    NDArray sliced = Attention.scaledDotProduct(q, k, v, mask, 0.5f, options);
                    assertThat(sliced.getManager()).isSameAs(q.getManager());
                    assertClose(sliced, full, 1e-6, "sliced " + options + " mask " + (mask == null ? null : mask.getShape()));
                }
            }
        }
    }

    @Test
    void upcastComputesHalfPrecisionScoresInFloat32() {
        NDArray q = randn(manager, 41, 2, 3, 4);
        NDArray k = randn(manager, 42, 2, 5, 4);
        NDArray v = randn(manager, 43, 2, 5, 4);
        NDArray reference = Attention.scaledDotProduct(q, k, v, null, 0.5f, Attention.Options.unsliced());
        NDArray half = Attention.scaledDotProduct(q.toType(DataType.FLOAT16, false), k.toType(DataType.FLOAT16, false),
                v.toType(DataType.FLOAT16, false), null, 0.5f, Attention.Options.unsliced().withUpcast(true));
        assertThat(half.getDataType()).isEqualTo(DataType.FLOAT16);
        assertClose(half, reference, 5e-3, "upcast half attention");
    }

    @Test
    void headsSplitAndMergeAsDiffusersHeadToBatchDim() {
        NDArray x = randn(manager, 51, 2, 3, 8);
        NDArray split = Attention.splitHeads(x, 4);
        assertThat(split.getShape()).isEqualTo(new Shape(8, 3, 2));
        // batch item 1, head 2, token 0 holds features 4..5 of token 0 of item 1
        assertClose(split.get("6, 0"), x.get("1, 0, 4:6"), 0, "head layout");
        assertClose(Attention.mergeHeads(split, 4), x, 0, "round trip");
    }

    @Test
    void badShapesAreRejected() {
        NDArray q = randn(manager, 1, 2, 3, 4);
        NDArray k = randn(manager, 2, 2, 5, 3);
        assertThatThrownBy(() -> Attention.scaledDotProduct(q, k, k, null, 1f, Attention.Options.unsliced()))
                .hasMessageContaining("(2, 3, 4)")
                .hasMessageContaining("(2, 5, 3)");
        NDArray k2 = randn(manager, 3, 2, 5, 4);
        NDArray badMask = randn(manager, 4, 2, 3, 4);
        assertThatThrownBy(() -> Attention.scaledDotProduct(q, k2, k2, badMask, 1f, Attention.Options.unsliced()))
                .hasMessageContaining("mask");
    }
}
