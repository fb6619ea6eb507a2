package dev.tuneforge.worker.engine.image;

import java.util.function.DoubleUnaryOperator;

/**
 * Pillow's {@code Image.resize(size, BICUBIC)} and {@code (size, BILINEAR)} on 8-bit RGB, reproduced
 * step for step so CLIP sees the same pixels as transformers' image processors and training sees
 * those of torchvision's {@code Resize}: a separable convolution with the Keys cubic (a = -0.5) or
 * the triangle filter, whose support widens with the downscale factor (antialiasing), coefficients
 * rounded to 22-bit fixed point, horizontal pass first, each pass rounded and clipped to 0..255.
 */
public final class PilResize {

    /** Pillow's PRECISION_BITS: 8 bits of result, 2 of headroom for negative lobes and overshoot. */
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double BICUBIC_SUPPORT = 2.0;
    private static final double BILINEAR_SUPPORT = 1.0;
    private static final double A = -0.5;

    /** A resampling filter: its support at scale 1 and its kernel. */
    private record Filter(double support, DoubleUnaryOperator kernel) {
    }

    private static final Filter BICUBIC = new Filter(BICUBIC_SUPPORT, PilResize::cubic);
    private static final Filter BILINEAR = new Filter(BILINEAR_SUPPORT, PilResize::triangle);

    private PilResize() {
    }

    /** The image resized to {@code width × height} with Pillow's BICUBIC filter. */
    public static RgbImage bicubic(RgbImage image, int width, int height) {
        return resize(image, width, height, BICUBIC);
    }

    /** The image resized to {@code width × height} with Pillow's BILINEAR filter. */
    public static RgbImage bilinear(RgbImage image, int width, int height) {
        return resize(image, width, height, BILINEAR);
    }

    private static RgbImage resize(RgbImage image, int width, int height, Filter filter) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("resize target " + width + "x" + height + " must be positive");
        }
        int[] pixels = unsigned(image.bytes());
        int w = image.width();
        int h = image.height();
        if (width != w) {
            pixels = horizontal(pixels, w, h, Coefficients.of(w, width, filter));
            w = width;
        }
        if (height != h) {
            pixels = vertical(pixels, w, h, Coefficients.of(h, height, filter));
        }
        return RgbImage.of(width, height, pixels);
    }

    private static int[] horizontal(int[] in, int inWidth, int rows, Coefficients k) {
        int outWidth = k.outSize;
        int[] out = new int[outWidth * rows * 3];
        for (int y = 0; y < rows; y++) {
            for (int xx = 0; xx < outWidth; xx++) {
                for (int c = 0; c < 3; c++) {
                    int sum = 1 << (PRECISION_BITS - 1);
                    for (int i = 0; i < k.count[xx]; i++) {
                        sum += in[(y * inWidth + k.first[xx] + i) * 3 + c] * k.weights[xx][i];
                    }
                    out[(y * outWidth + xx) * 3 + c] = clip8(sum);
                }
            }
        }
        return out;
    }

    private static int[] vertical(int[] in, int width, int inHeight, Coefficients k) {
        int outHeight = k.outSize;
        int[] out = new int[width * outHeight * 3];
        for (int yy = 0; yy < outHeight; yy++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = 1 << (PRECISION_BITS - 1);
                    for (int i = 0; i < k.count[yy]; i++) {
                        sum += in[((k.first[yy] + i) * width + x) * 3 + c] * k.weights[yy][i];
                    }
                    out[(yy * width + x) * 3 + c] = clip8(sum);
                }
            }
        }
        return out;
    }

    private static int clip8(int fixedPoint) {
        return Math.max(0, Math.min(255, fixedPoint >> PRECISION_BITS));
    }

    private static int[] unsigned(byte[] bytes) {
        int[] values = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            values[i] = bytes[i] & 0xff;
        }
        return values;
    }

    private static double cubic(double x) {
        double t = Math.abs(x);
        if (t < 1.0) {
            return ((A + 2.0) * t - (A + 3.0)) * t * t + 1;
        }
        if (t < 2.0) {
            return (((t - 5) * t + 8) * t - 4) * A;
        }
        return 0.0;
    }

    private static double triangle(double x) {
        double t = Math.abs(x);
        return t < 1.0 ? 1.0 - t : 0.0;
    }

    /** Per output position: the first input index, how many inputs, and their fixed-point weights (precompute_coeffs). */
    private static final class Coefficients {
        final int outSize;
        final int[] first;
        final int[] count;
        final int[][] weights;

        private Coefficients(int outSize) {
            this.outSize = outSize;
            this.first = new int[outSize];
            this.count = new int[outSize];
            this.weights = new int[outSize][];
        }

        static Coefficients of(int inSize, int outSize, Filter filter) {
            Coefficients k = new Coefficients(outSize);
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support() * filterScale;
            double inverse = 1.0 / filterScale;
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                int xmin = Math.max(0, (int) (center - support + 0.5));
                int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
                double[] w = new double[xmax];
                double total = 0;
                for (int x = 0; x < xmax; x++) {
                    w[x] = filter.kernel().applyAsDouble((x + xmin - center + 0.5) * inverse);
                    total += w[x];
                }
                k.first[xx] = xmin;
                k.count[xx] = xmax;
                k.weights[xx] = new int[xmax];
                for (int x = 0; x < xmax; x++) {
                    double normalized = total != 0.0 ? w[x] / total : w[x];
                    k.weights[xx][x] = (int) (normalized < 0 ? -0.5 + normalized * (1 << PRECISION_BITS)
                            : 0.5 + normalized * (1 << PRECISION_BITS));
                }
            }
            return k;
        }
    }
}
