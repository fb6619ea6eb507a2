package dev.tuneforge.worker.engine.face;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.image.RgbImage;
import dev.tuneforge.worker.engine.nn.Conv2d;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * face-api's SSD MobileNetV1 face detector: a MobileNetV1 backbone (depthwise-separable
 * convolutions, batch norm, ReLU6) at 512×512, four extra feature layers, and six box predictors
 * over 5118 fixed anchors; decoded boxes above the score threshold go through SSD's non-maximum
 * suppression (IoU 0.5, at most 100 faces). Slower than TinyFaceDetector, better on hard faces.
 */
public final class SsdMobilenetV1Detector implements FaceDetector {

    public static final String MODEL = "ssd_mobilenetv1_model";
    static final int INPUT_SIZE = 512;
    private static final float BATCH_NORM_EPSILON = 0.0010000000474974513f;
    private static final double IOU_THRESHOLD = 0.5;
    private static final int MAX_RESULTS = 100;
    /** Output channels of MobileNetV1 layers 0..13; layers 2, 4, 6 and 12 halve the resolution. */
    private static final int[] BACKBONE = {32, 64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024};
    private static final List<Integer> STRIDE_TWO = List.of(2, 4, 6, 12);
    /** Prediction/Conv2d_0..7: (output channels, kernel); odd ones are 3×3 stride 2. */
    private static final int[] EXTRAS = {256, 512, 128, 256, 128, 256, 64, 128};
    private static final int BACKBONE_TAP = 11;
    /** Per predictor: anchors per cell, and the side of its feature map at 512 (layer 11, backbone, extras 1, 3, 5, 7). */
    private static final int[] ANCHORS_PER_CELL = {3, 6, 6, 6, 6, 6};
    private static final int[] FEATURE_SIDES = {32, 16, 8, 4, 2, 1};

    private final NDManager manager;
    private final DetectorOptions options;
    private final SameConv stem;
    private final List<SameConv> backbone;
    private final List<SameConv> extras;
    private final List<BoxPredictor> predictors;
    private final float[] anchors;

    private SsdMobilenetV1Detector(NDManager manager, DetectorOptions options, SameConv stem, List<SameConv> backbone,
                                   List<SameConv> extras, List<BoxPredictor> predictors, float[] anchors) {
        this.manager = manager;
        this.options = options;
        this.stem = stem;
        this.backbone = backbone;
        this.extras = extras;
        this.predictors = predictors;
        this.anchors = anchors;
    }

    /** Loads {@code ssd_mobilenetv1_model} from {@code files}; the weights live in {@code manager}. */
    public static SsdMobilenetV1Detector load(FaceModelFiles files, NDManager manager, DetectorOptions options)
            throws IOException {
        if (options.network() != DetectorOptions.Network.SSD) {
            throw new IllegalArgumentException("SSD MobileNetV1 given options for " + options.network());
        }
        TfjsWeights weights = TfjsWeights.load(files, MODEL);
        SameConv stem = pointwise(weights, "MobilenetV1/Conv2d_0_pointwise", 3, BACKBONE[0], 3, 2, manager);
        List<SameConv> backbone = new ArrayList<>();
        for (int i = 1; i < BACKBONE.length; i++) {
            int in = BACKBONE[i - 1];
            backbone.add(depthwise(weights, "MobilenetV1/Conv2d_" + i + "_depthwise", in,
                    STRIDE_TWO.contains(i) ? 2 : 1, manager));
            backbone.add(pointwise(weights, "MobilenetV1/Conv2d_" + i + "_pointwise", in, BACKBONE[i], 1, 1, manager));
        }
        List<SameConv> extras = new ArrayList<>();
        int channels = BACKBONE[BACKBONE.length - 1];
        for (int i = 0; i < EXTRAS.length; i++) {
            boolean down = i % 2 == 1;
            extras.add(pointwise(weights, "Prediction/Conv2d_" + i + "_pointwise", channels, EXTRAS[i], down ? 3 : 1,
                    down ? 2 : 1, manager));
            channels = EXTRAS[i];
        }
        // Predictors read backbone layer 11, the backbone output, then extras 1, 3, 5 and 7.
        int[] sources = {BACKBONE[BACKBONE_TAP], BACKBONE[BACKBONE.length - 1], EXTRAS[1], EXTRAS[3], EXTRAS[5],
            EXTRAS[7]};
        List<BoxPredictor> predictors = new ArrayList<>();
        int anchorCount = 0;
        for (int i = 0; i < sources.length; i++) {
            predictors.add(BoxPredictor.load(weights, "Prediction/BoxPredictor_" + i, sources[i], ANCHORS_PER_CELL[i],
                    manager));
            anchorCount += FEATURE_SIDES[i] * FEATURE_SIDES[i] * ANCHORS_PER_CELL[i];
        }
        float[] anchors = weights.get("Output/extra_dim", 1, anchorCount, 4).values();
        return new SsdMobilenetV1Detector(manager, options, stem, List.copyOf(backbone), List.copyOf(extras),
                List.copyOf(predictors), anchors);
    }

    /** conv ('same', stride) + batch-norm offset + ReLU6, the SSD graph's "pointwise" layers (1×1 or 3×3). */
    private static SameConv pointwise(TfjsWeights weights, String prefix, int in, int out, int kernel, int stride,
                                      NDManager manager) {
        Conv2d conv = TfjsLayouts.conv(prefix, weights.get(prefix + "/weights", kernel, kernel, in, out),
                weights.get(prefix + "/convolution_bn_offset", out), stride, 0, manager);
        return new SameConv(conv, kernel, stride);
    }

    /** Depthwise 3×3 ('same', stride) with its batch norm folded in, then ReLU6. */
    private static SameConv depthwise(TfjsWeights weights, String prefix, int channels, int stride,
                                      NDManager manager) {
        float[] gamma = weights.get(prefix + "/BatchNorm/gamma", channels).values();
        float[] beta = weights.get(prefix + "/BatchNorm/beta", channels).values();
        float[] mean = weights.get(prefix + "/BatchNorm/moving_mean", channels).values();
        float[] variance = weights.get(prefix + "/BatchNorm/moving_variance", channels).values();
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = (float) (gamma[c] / Math.sqrt(variance[c] + BATCH_NORM_EPSILON));
            shift[c] = beta[c] - mean[c] * scale[c];
        }
        NDArray filter = TfjsLayouts.depthwiseFilter(weights.get(prefix + "/depthwise_weights", 3, 3, channels, 1),
                scale, manager);
        return new SameConv(new Conv2d(prefix, filter, manager.create(shift), stride, 0, channels), 3, stride);
    }

    public DetectorOptions options() {
        return options;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "face-api SSD MobileNetV1 (input %d, score > %.3f)", INPUT_SIZE,
                options.scoreThreshold());
    }

    @Override
    public List<FaceDetection> detect(RgbImage image) {
        float[] input = TfImageOps.squareInput(image, INPUT_SIZE, false);
        float[] encodings;
        float[] scores;
        try (NDManager step = manager.newSubManager()) {
            NDList out = forward(step.create(input, new Shape(1, 3, INPUT_SIZE, INPUT_SIZE)));
            encodings = out.get(0).toFloatArray();
            scores = out.get(1).toFloatArray();
        }
        return decode(encodings, scores, image.width(), image.height());
    }

    /** {@code (1, 3, 512, 512)} RGB 0..255 to box encodings {@code (1, anchors, 4)} and face scores {@code (1, anchors)}. */
    NDList forward(NDArray rgb) {
        NDArray x = stem.forward(rgb.div(127.5f).sub(1f));
        NDArray tap = null;
        for (int i = 0; i < backbone.size(); i++) {
            x = backbone.get(i).forward(x);
            if (i == 2 * BACKBONE_TAP - 1) {
                tap = x;
            }
        }
        List<NDArray> maps = new ArrayList<>(List.of(tap, x));
        NDArray extra = x;
        for (int i = 0; i < extras.size(); i++) {
            extra = extras.get(i).forward(extra);
            if (i % 2 == 1) {
                maps.add(extra);
            }
        }
        NDList boxes = new NDList();
        NDList classes = new NDList();
        for (int i = 0; i < predictors.size(); i++) {
            boxes.add(predictors.get(i).boxes(maps.get(i)));
            classes.add(predictors.get(i).classes(maps.get(i)));
        }
        NDArray faceLogits = NDArrays.concat(classes, 1).get(new NDIndex(":, :, 1"));
        return new NDList(NDArrays.concat(boxes, 1), faceLogits.getNDArrayInternal().sigmoid());
    }

    private List<FaceDetection> decode(float[] encodings, float[] scores, int imageWidth, int imageHeight) {
        double scale = INPUT_SIZE / (double) Math.max(imageWidth, imageHeight);
        // Boxes are relative to the padded square; the image fills only its top-left part.
        double padX = INPUT_SIZE / (double) Math.round(imageWidth * scale);
        double padY = INPUT_SIZE / (double) Math.round(imageHeight * scale);
        List<Integer> kept = suppress(scores, i -> decodeBox(encodings, i));
        List<FaceDetection> faces = new ArrayList<>();
        for (int i : kept) {
            float[] b = decodeBox(encodings, i);
            double top = Math.max(0, b[0]) * padY;
            double bottom = Math.min(1, b[2]) * padY;
            double left = Math.max(0, b[1]) * padX;
            double right = Math.min(1, b[3]) * padX;
            FaceBox relative = new FaceBox(left, top, right - left, bottom - top);
            faces.add(new FaceDetection(scores[i], relative.scale(imageWidth, imageHeight)));
        }
        return faces;
    }

    /** SSD box decoding against anchor {@code i}: {@code [ymin, xmin, ymax, xmax]}, relative, in float32 as tfjs. */
    private float[] decodeBox(float[] encodings, int i) {
        float anchorHeight = anchors[4 * i + 2] - anchors[4 * i];
        float anchorWidth = anchors[4 * i + 3] - anchors[4 * i + 1];
        float centerY = anchors[4 * i] + anchorHeight / 2;
        float centerX = anchors[4 * i + 1] + anchorWidth / 2;
        float halfHeight = (float) Math.exp(encodings[4 * i + 2] / 5) * anchorHeight / 2;
        float y = encodings[4 * i] / 10 * anchorHeight + centerY;
        float halfWidth = (float) Math.exp(encodings[4 * i + 3] / 5) * anchorWidth / 2;
        float x = encodings[4 * i + 1] / 10 * anchorWidth + centerX;
        return new float[] {y - halfHeight, x - halfWidth, y + halfHeight, x + halfWidth};
    }

    /**
     * face-api's SSD suppression: candidates above the threshold by falling score; one is kept
     * unless an already kept box overlaps it by more than the IoU threshold.
     */
    private List<Integer> suppress(float[] scores, java.util.function.IntFunction<float[]> boxes) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > options.scoreThreshold()) {
                candidates.add(i);
            }
        }
        candidates.sort(Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        List<Integer> kept = new ArrayList<>();
        for (int candidate : candidates) {
            if (kept.size() >= MAX_RESULTS) {
                break;
            }
            float[] box = boxes.apply(candidate);
            boolean overlaps = kept.stream().anyMatch(k -> iou(box, boxes.apply(k)) > IOU_THRESHOLD);
            if (!overlaps) {
                kept.add(candidate);
            }
        }
        return kept;
    }

    private static double iou(float[] a, float[] b) {
        double areaA = area(a);
        double areaB = area(b);
        if (areaA <= 0 || areaB <= 0) {
            return 0;
        }
        double h = Math.max(0, Math.min(Math.max(a[0], a[2]), Math.max(b[0], b[2]))
                - Math.max(Math.min(a[0], a[2]), Math.min(b[0], b[2])));
        double w = Math.max(0, Math.min(Math.max(a[1], a[3]), Math.max(b[1], b[3]))
                - Math.max(Math.min(a[1], a[3]), Math.min(b[1], b[3])));
        return h * w / (areaA + areaB - h * w);
    }

    private static double area(float[] box) {
        return ((double) Math.max(box[0], box[2]) - Math.min(box[0], box[2]))
                * ((double) Math.max(box[1], box[3]) - Math.min(box[1], box[3]));
    }

    /** A convolution with tf's 'same' padding and ReLU6. */
    private record SameConv(Conv2d conv, int kernel, int stride) {

        NDArray forward(NDArray x) {
            return conv.forward(TfjsLayouts.padSame(x, kernel, stride, 0)).clip(0, 6);
        }
    }

    /** The 1×1 box-encoding and class convolutions over one feature map. */
    private record BoxPredictor(Conv2d boxes, Conv2d classes) {

        static BoxPredictor load(TfjsWeights weights, String prefix, int in, int anchors, NDManager manager) {
            return new BoxPredictor(conv(weights, prefix + "/BoxEncodingPredictor", in, anchors * 4, manager),
                    conv(weights, prefix + "/ClassPredictor", in, anchors * 3, manager));
        }

        private static Conv2d conv(TfjsWeights weights, String prefix, int in, int out, NDManager manager) {
            return TfjsLayouts.conv(prefix, weights.get(prefix + "/weights", 1, 1, in, out),
                    weights.get(prefix + "/biases", out), 1, 0, manager);
        }

        /** {@code (1, cells * anchors, 4)} in tf's (row, column, anchor) order. */
        NDArray boxes(NDArray map) {
            return toAnchorRows(boxes.forward(map), 4);
        }

        /** {@code (1, cells * anchors, 3)}: background, face, and an unused class. */
        NDArray classes(NDArray map) {
            return toAnchorRows(classes.forward(map), 3);
        }

        private static NDArray toAnchorRows(NDArray nchw, int perAnchor) {
            return nchw.transpose(0, 2, 3, 1).reshape(nchw.getShape().get(0), -1, perAnchor);
        }
    }
}
