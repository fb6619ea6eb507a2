package dev.tuneforge.worker.engine.face;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.image.RgbImage;
import dev.tuneforge.worker.engine.nn.Conv2d;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * face-api's FaceRecognitionNet: the ResNet-34-like network of dlib's face recognition model,
 * mapping a 150×150 face to a 128-D descriptor (same person: Euclidean distance below about 0.6).
 * Every convolution is followed by a per-channel scale and shift (dlib's affine layer), folded into
 * the convolution's weights and bias at load time.
 */
public final class FaceRecognitionNet {

    public static final String MODEL = "face_recognition_model";
    public static final int INPUT_SIZE = 150;
    public static final int DESCRIPTOR_SIZE = 128;
    private static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};
    /** The residual blocks in order: convN_* outputs N channels, a "_down" block halves the resolution. */
    private static final String[] BLOCKS = {"conv32_1", "conv32_2", "conv32_3", "conv64_down", "conv64_1", "conv64_2",
        "conv64_3", "conv128_down", "conv128_1", "conv128_2", "conv256_down", "conv256_1", "conv256_2",
        "conv256_down_out"};

    private final Conv2d stem;
    private final List<Residual> blocks;
    private final NDArray fc;

    private FaceRecognitionNet(Conv2d stem, List<Residual> blocks, NDArray fc) {
        this.stem = stem;
        this.blocks = blocks;
        this.fc = fc;
    }

    /** Loads {@code face_recognition_model} from {@code files} into {@code manager}. */
    public static FaceRecognitionNet load(FaceModelFiles files, NDManager manager) throws IOException {
        return load(TfjsWeights.load(files, MODEL), manager);
    }

    static FaceRecognitionNet load(TfjsWeights weights, NDManager manager) {
        Conv2d stem = scaledConv(weights, "conv32_down", 3, 32, 7, 2, 0, manager);
        List<Residual> blocks = new ArrayList<>();
        int channels = 32;
        for (String name : BLOCKS) {
            int out = Integer.parseInt(name.replaceAll("conv(\\d+)_.*", "$1"));
            boolean down = name.contains("_down");
            blocks.add(new Residual(
                    scaledConv(weights, name + "/conv1", channels, out, 3, down ? 2 : 1, down ? 0 : 1, manager),
                    scaledConv(weights, name + "/conv2", out, out, 3, 1, 1, manager), down));
            channels = out;
        }
        NDArray fc = manager.create(weights.get("fc", channels, DESCRIPTOR_SIZE).values(),
                new Shape(channels, DESCRIPTOR_SIZE));
        if (!weights.unusedNames().isEmpty()) {
            throw new IllegalArgumentException("face recognition weights " + weights.source() + " have weights the "
                    + "network does not use: " + weights.unusedNames());
        }
        return new FaceRecognitionNet(stem, List.copyOf(blocks), fc);
    }

    /**
     * conv + bias, then dlib's affine {@code * weights + biases}, folded:
     * {@code W' = W · s}, {@code b' = b · s + t}.
     */
    private static Conv2d scaledConv(TfjsWeights weights, String prefix, int in, int out, int kernel, int stride,
                                     int padding, NDManager manager) {
        float[] bias = weights.get(prefix + "/conv/bias", out).values();
        float[] scale = weights.get(prefix + "/scale/weights", out).values();
        float[] shift = weights.get(prefix + "/scale/biases", out).values();
        float[] folded = new float[out];
        for (int o = 0; o < out; o++) {
            folded[o] = bias[o] * scale[o] + shift[o];
        }
        NDArray filter = TfjsLayouts.convFilter(weights.get(prefix + "/conv/filters", kernel, kernel, in, out), scale,
                manager);
        return new Conv2d(prefix, filter, manager.create(folded), stride, padding, 1);
    }

    /** The 128-D descriptor of each face image (padded to a square around its centre, resized to 150×150). */
    public List<float[]> descriptors(List<RgbImage> faces, NDManager manager) {
        if (faces.isEmpty()) {
            return List.of();
        }
        int plane = 3 * INPUT_SIZE * INPUT_SIZE;
        float[] batch = new float[faces.size() * plane];
        for (int i = 0; i < faces.size(); i++) {
            System.arraycopy(TfImageOps.squareInput(faces.get(i), INPUT_SIZE, true), 0, batch, i * plane, plane);
        }
        try (NDManager step = manager.newSubManager()) {
            float[] flat = forward(step.create(batch, new Shape(faces.size(), 3, INPUT_SIZE, INPUT_SIZE)))
                    .toFloatArray();
            List<float[]> descriptors = new ArrayList<>();
            for (int i = 0; i < faces.size(); i++) {
                float[] d = new float[DESCRIPTOR_SIZE];
                System.arraycopy(flat, i * DESCRIPTOR_SIZE, d, 0, DESCRIPTOR_SIZE);
                descriptors.add(d);
            }
            return descriptors;
        }
    }

    /**
     * {@code (N, 3, 150, 150)} RGB values 0..255 to {@code (N, 128)} descriptors, in the input's
     * manager; intermediates live in a sub-manager closed before returning.
     */
    public NDArray forward(NDArray rgb) {
        Shape shape = rgb.getShape();
        if (shape.dimension() != 4 || shape.get(1) != 3 || shape.get(2) != INPUT_SIZE || shape.get(3) != INPUT_SIZE) {
            throw new IllegalArgumentException("face recognition input must be (batch, 3, 150, 150), got " + shape);
        }
        NDManager caller = rgb.getManager();
        try (NDManager sub = caller.newSubManager()) {
            NDArray mean = sub.create(MEAN_RGB, new Shape(1, 3, 1, 1));
            NDArray x = rgb.sub(mean);
            x.attach(sub);
            x = stem.forward(x.div(255f)).getNDArrayInternal().relu();
            x = x.getNDArrayInternal().maxPool(new Shape(3, 3), new Shape(2, 2), new Shape(0, 0), false);
            for (Residual block : blocks) {
                x = block.forward(x);
            }
            NDArray descriptors = x.reshape(x.getShape().get(0), x.getShape().get(1), -1).mean(new int[] {2}).matMul(fc);
            descriptors.attach(caller);
            return descriptors;
        }
    }

    /** Two 3×3 convolutions plus the input; a down block strides the first and average-pools the shortcut. */
    private record Residual(Conv2d conv1, Conv2d conv2, boolean down) {

        NDArray forward(NDArray x) {
            NDArray out = conv2.forward(conv1.forward(x).getNDArrayInternal().relu());
            NDArray shortcut = x;
            if (down) {
                shortcut = x.getNDArrayInternal().avgPool(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false,
                        true);
                // A 'valid' stride-2 conv can come out one row and column short of the pooled
                // shortcut (8 -> 3 vs 4): face-api appends a zero row and column.
                long missingH = shortcut.getShape().get(2) - out.getShape().get(2);
                long missingW = shortcut.getShape().get(3) - out.getShape().get(3);
                if (missingH > 0 || missingW > 0) {
                    out = out.pad(new Shape(0, missingW, 0, missingH), 0);
                }
                long extraChannels = out.getShape().get(1) - shortcut.getShape().get(1);
                if (extraChannels > 0) {
                    shortcut = shortcut.pad(new Shape(0, 0, 0, 0, 0, extraChannels), 0);
                }
            }
            return out.add(shortcut).getNDArrayInternal().relu();
        }
    }
}
