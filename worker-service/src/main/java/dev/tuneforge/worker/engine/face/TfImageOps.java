package dev.tuneforge.worker.engine.face;

import dev.tuneforge.worker.engine.image.RgbImage;

/**
 * The input preparation of face-api's {@code NetInput.toBatchTensor}: pad the image to a square
 * with zeros ({@code padToSquare}), then {@code tf.image.resizeBilinear} (no corner alignment,
 * no half-pixel centres) to the network's input size. Values stay 0..255; the result is CHW.
 */
final class TfImageOps {

    private TfImageOps() {
    }

    /**
     * @param centered pad both sides of the shorter axis equally (face crops) instead of only
     *     the right or bottom (detector input, whose box coordinates then stay top-left based)
     * @return {@code 3 × size × size} floats
     */
    static float[] squareInput(RgbImage image, int size, boolean centered) {
        int w = image.width();
        int h = image.height();
        int side = Math.max(w, h);
        int diff = side - Math.min(w, h);
        // padToSquare appends round(diff / 2) (centered) or diff, and prepends the rest.
        int before = centered ? diff - (int) Math.round(diff * 0.5) : 0;
        int offsetX = w < h ? before : 0;
        int offsetY = h < w ? before : 0;
        float[] square = new float[3 * side * side];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    square[(c * side + y + offsetY) * side + x + offsetX] = image.get(x, y, c);
                }
            }
        }
        return side == size ? square : resizeBilinear(square, side, size);
    }

    /** tfjs's CPU resizeBilinear of a CHW square, alignCorners = halfPixelCenters = false. */
    static float[] resizeBilinear(float[] chw, int inSize, int outSize) {
        double ratio = (double) inSize / outSize;
        int[] lo = new int[outSize];
        int[] hi = new int[outSize];
        double[] frac = new double[outSize];
        for (int i = 0; i < outSize; i++) {
            double source = ratio * i;
            lo[i] = Math.max(0, (int) Math.floor(source));
            hi[i] = Math.min(inSize - 1, (int) Math.ceil(source));
            frac[i] = source - lo[i];
        }
        float[] out = new float[3 * outSize * outSize];
        for (int c = 0; c < 3; c++) {
            int plane = c * inSize * inSize;
            for (int y = 0; y < outSize; y++) {
                int top = plane + lo[y] * inSize;
                int bottom = plane + hi[y] * inSize;
                for (int x = 0; x < outSize; x++) {
                    double topLeft = chw[top + lo[x]];
                    double topRight = chw[top + hi[x]];
                    double bottomLeft = chw[bottom + lo[x]];
                    double bottomRight = chw[bottom + hi[x]];
                    double upper = topLeft + (topRight - topLeft) * frac[x];
                    double lower = bottomLeft + (bottomRight - bottomLeft) * frac[x];
                    out[(c * outSize + y) * outSize + x] = (float) (upper + (lower - upper) * frac[y]);
                }
            }
        }
        return out;
    }
}
