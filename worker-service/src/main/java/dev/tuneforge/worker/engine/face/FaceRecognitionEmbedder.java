package dev.tuneforge.worker.engine.face;

import ai.djl.ndarray.NDManager;
import dev.tuneforge.worker.engine.image.RgbImage;
import java.util.List;
import java.util.Locale;

/**
 * {@link FaceEmbedder} on face-api's FaceRecognitionNet: each box becomes a square of its longer
 * side around its centre, widened by an optional margin on every side, clipped to the image, and
 * scaled to 150×150 (the network was trained on dlib's square face chips).
 */
public final class FaceRecognitionEmbedder implements FaceEmbedder {

    private final FaceRecognitionNet net;
    private final NDManager manager;
    private final double margin;

    /**
     * @param margin added on each side, as a fraction of the box's longer side
     */
    public FaceRecognitionEmbedder(FaceRecognitionNet net, NDManager manager, double margin) {
        if (!(margin >= 0 && margin <= 1)) {
            throw new IllegalArgumentException("face crop margin must be between 0 and 1, got " + margin);
        }
        this.net = net;
        this.manager = manager;
        this.margin = margin;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "face-api FaceRecognitionNet (margin %.3f)", margin);
    }

    @Override
    public List<float[]> embed(RgbImage image, List<FaceBox> faces) {
        return net.descriptors(faces.stream().map(box -> crop(image, box)).toList(), manager);
    }

    /** The square crop around {@code box}, clipped to the image; never empty. */
    RgbImage crop(RgbImage image, FaceBox box) {
        double side = Math.max(box.width(), box.height()) * (1 + 2 * margin);
        double centerX = box.x() + box.width() / 2;
        double centerY = box.y() + box.height() / 2;
        int left = clamp((int) Math.floor(centerX - side / 2), image.width() - 1);
        int top = clamp((int) Math.floor(centerY - side / 2), image.height() - 1);
        int right = clamp((int) Math.ceil(centerX + side / 2), image.width());
        int bottom = clamp((int) Math.ceil(centerY + side / 2), image.height());
        return image.crop(left, top, Math.max(1, right - left), Math.max(1, bottom - top));
    }

    private static int clamp(int value, int max) {
        return Math.max(0, Math.min(max, value));
    }
}
