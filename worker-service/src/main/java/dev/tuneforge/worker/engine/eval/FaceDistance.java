package dev.tuneforge.worker.engine.eval;

import java.util.List;

/**
 * The homework's face distance: the Euclidean distance between L2-normalised face embeddings
 * (0 for the same direction, 2 for opposite; lower means more alike), averaged over all pairs.
 */
public final class FaceDistance {

    private FaceDistance() {
    }

    /** {@code || a/|a| - b/|b| ||}. */
    public static double between(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings of different sizes: " + a.length + " and " + b.length);
        }
        double normA = norm(a);
        double normB = norm(b);
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] / normA - b[i] / normB;
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    /** Mean of {@link #between} over every (one of {@code a}, one of {@code b}) pair. */
    public static double meanOverPairs(List<float[]> a, List<float[]> b) {
        if (a.isEmpty() || b.isEmpty()) {
            throw new IllegalArgumentException("face distance needs embeddings on both sides, got " + a.size()
                    + " and " + b.size());
        }
        double sum = 0;
        for (float[] x : a) {
            for (float[] y : b) {
                sum += between(x, y);
            }
        }
        return sum / ((double) a.size() * b.size());
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum == 0) {
            throw new IllegalArgumentException("a zero embedding has no direction");
        }
        return Math.sqrt(sum);
    }
}
