package dev.tuneforge.worker.engine.face;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.image.RgbImage;
import dev.tuneforge.worker.engine.nn.Conv2d;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * face-api's TinyFaceDetector: a Tiny-YOLOv2 with depthwise-separable convolutions (190 KB of
 * weights). The image is padded to a square at its right or bottom and scaled to the input size;
 * a 13×13 grid (at 416) predicts five anchor boxes per cell; boxes above the score threshold go
 * through non-maximum suppression (IoU 0.4).
 */
public final class TinyFaceDetector implements FaceDetector {

    public static final String MODEL = "tiny_face_detector_model";
    private static final float[] MEAN_RGB = {117.001f, 114.697f, 97.404f};
    private static final double[][] ANCHORS = {{1.603231, 2.094468}, {6.041143, 7.080126}, {2.882459, 3.518061},
        {4.266906, 5.178857}, {9.041765, 10.66308}};
    private static final double IOU_THRESHOLD = 0.4;
    /** x, y, w, h, score per anchor (one class: no class scores). */
    private static final int BOX_ENCODING = 5;
    private static final float LEAKY_SLOPE = 0.1f;
    private static final int[] CHANNELS = {16, 32, 64, 128, 256, 512};

    private final NDManager manager;
    private final DetectorOptions options;
    private final Conv2d conv0;
    private final List<SeparableConv> separable;
    private final Conv2d head;

    private TinyFaceDetector(NDManager manager, DetectorOptions options, Conv2d conv0, List<SeparableConv> separable,
                             Conv2d head) {
        this.manager = manager;
        this.options = options;
        this.conv0 = conv0;
        this.separable = separable;
        this.head = head;
    }

    /** Loads {@code tiny_face_detector_model} from {@code files}; the weights live in {@code manager}. */
    public static TinyFaceDetector load(FaceModelFiles files, NDManager manager, DetectorOptions options)
            throws IOException {
        if (options.network() != DetectorOptions.Network.TINY) {
            throw new IllegalArgumentException("TinyFaceDetector given options for " + options.network());
        }
        TfjsWeights weights = TfjsWeights.load(files, MODEL);
        Conv2d conv0 = TfjsLayouts.conv("conv0", weights.get("conv0/filters", 3, 3, 3, CHANNELS[0]),
                weights.get("conv0/bias", CHANNELS[0]), 1, 0, manager);
        List<SeparableConv> separable = new ArrayList<>();
        for (int i = 1; i < CHANNELS.length; i++) {
            String name = "conv" + i;
            int in = CHANNELS[i - 1];
            int out = CHANNELS[i];
            Conv2d depthwise = TfjsLayouts.depthwise(name + "/depthwise", weights.get(name + "/depthwise_filter", 3, 3,
                    in, 1), 1, manager);
            Conv2d pointwise = TfjsLayouts.conv(name + "/pointwise", weights.get(name + "/pointwise_filter", 1, 1, in,
                    out), weights.get(name + "/bias", out), 1, 0, manager);
            separable.add(new SeparableConv(depthwise, pointwise));
        }
        int outputs = ANCHORS.length * BOX_ENCODING;
        Conv2d head = TfjsLayouts.conv("conv8", weights.get("conv8/filters", 1, 1, CHANNELS[CHANNELS.length - 1],
                outputs), weights.get("conv8/bias", outputs), 1, 0, manager);
        if (!weights.unusedNames().isEmpty()) {
            throw new IllegalArgumentException("tiny face detector weights " + weights.source() + " have weights the "
                    + "network does not use: " + weights.unusedNames());
        }
        return new TinyFaceDetector(manager, options, conv0, List.copyOf(separable), head);
    }

    public DetectorOptions options() {
        return options;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "face-api TinyFaceDetector (input %d, score > %.3f)", options.inputSize(),
                options.scoreThreshold());
    }

    @Override
    public List<FaceDetection> detect(RgbImage image) {
        int size = options.inputSize();
        float[] input = TfImageOps.squareInput(image, size, false);
        float[] grid;
        int cells;
        try (NDManager step = manager.newSubManager()) {
            NDArray out = forward(step.create(input, new Shape(1, 3, size, size)));
            cells = (int) out.getShape().get(2);
            grid = out.toFloatArray();
        }
        return decode(grid, cells, image.width(), image.height());
    }

    /** {@code (1, 3, size, size)} RGB 0..255 to the raw {@code (1, 25, cells, cells)} grid. */
    NDArray forward(NDArray rgb) {
        NDArray x = rgb.sub(rgb.getManager().create(MEAN_RGB, new Shape(1, 3, 1, 1))).div(255f);
        x = leaky(conv0.forward(x));
        x = TfjsLayouts.maxPoolSame(x, 2, 2);
        for (int i = 0; i < separable.size(); i++) {
            x = separable.get(i).forward(x);
            x = TfjsLayouts.maxPoolSame(x, 2, i == separable.size() - 1 ? 1 : 2);
        }
        return head.forward(x);
    }

    private List<FaceDetection> decode(float[] grid, int cells, int imageWidth, int imageHeight) {
        int size = options.inputSize();
        double scale = size / (double) Math.max(imageWidth, imageHeight);
        // The boxes are relative to the scaled image, which fills only part of the padded square.
        double correctionX = size / (double) Math.round(imageWidth * scale);
        double correctionY = size / (double) Math.round(imageHeight * scale);
        List<FaceDetection> candidates = new ArrayList<>();
        int plane = cells * cells;
        for (int row = 0; row < cells; row++) {
            for (int col = 0; col < cells; col++) {
                for (int anchor = 0; anchor < ANCHORS.length; anchor++) {
                    int base = anchor * BOX_ENCODING * plane + row * cells + col;
                    double score = sigmoid(grid[base + 4 * plane]);
                    if (score <= options.scoreThreshold()) {
                        continue;
                    }
                    double centerX = (col + sigmoid(grid[base])) / cells * correctionX;
                    double centerY = (row + sigmoid(grid[base + plane])) / cells * correctionY;
                    double w = Math.exp(grid[base + 2 * plane]) * ANCHORS[anchor][0] / cells * correctionX;
                    double h = Math.exp(grid[base + 3 * plane]) * ANCHORS[anchor][1] / cells * correctionY;
                    FaceBox relative = new FaceBox(centerX - w / 2, centerY - h / 2, w, h);
                    candidates.add(new FaceDetection(score, relative.scale(imageWidth, imageHeight)));
                }
            }
        }
        return NonMaxSuppression.apply(candidates, IOU_THRESHOLD);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static NDArray leaky(NDArray x) {
        return x.getNDArrayInternal().leakyRelu(LEAKY_SLOPE);
    }

    /** Pad 1, depthwise 3×3, pointwise 1×1 with bias, leaky ReLU. */
    private record SeparableConv(Conv2d depthwise, Conv2d pointwise) {

        NDArray forward(NDArray x) {
            return leaky(pointwise.forward(depthwise.forward(x)));
        }
    }
}
