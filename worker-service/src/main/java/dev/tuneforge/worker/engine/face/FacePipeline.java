package dev.tuneforge.worker.engine.face;

import ai.djl.ndarray.NDManager;
import dev.tuneforge.worker.engine.image.RgbImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Detect, then embed every detected face: the face half of the evaluation. */
public final class FacePipeline implements AutoCloseable {

    /**
     * Margin around the detector's box for the recognition crop (see {@link FaceRecognitionEmbedder}):
     * none, because the detectors' boxes, made square, already frame a face about as dlib's 150×150
     * chips do. On ../shared/faces/people (each chip centred in a larger canvas) margins of 0.05 to
     * 0.3 moved the descriptors further from those of the chips themselves and made same and
     * different people overlap more, with TinyFaceDetector and with SSD MobileNetV1.
     */
    public static final double DEFAULT_MARGIN = 0.0;

    private final FaceDetector detector;
    private final FaceEmbedder embedder;
    private final AutoCloseable resources;

    public FacePipeline(FaceDetector detector, FaceEmbedder embedder) {
        this(detector, embedder, () -> { });
    }

    private FacePipeline(FaceDetector detector, FaceEmbedder embedder, AutoCloseable resources) {
        this.detector = detector;
        this.embedder = embedder;
        this.resources = resources;
    }

    /** The face-api detector {@code options} names and FaceRecognitionNet, from {@code files}. */
    public static FacePipeline load(FaceModelFiles files, DetectorOptions options, double margin) throws IOException {
        NDManager manager = NDManager.newBaseManager();
        try {
            FaceDetector detector = switch (options.network()) {
                case TINY -> TinyFaceDetector.load(files, manager, options);
                case SSD -> SsdMobilenetV1Detector.load(files, manager, options);
            };
            FaceRecognitionNet net = FaceRecognitionNet.load(files, manager);
            return new FacePipeline(detector, new FaceRecognitionEmbedder(net, manager, margin), manager::close);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Every face in {@code image}, most confident first, each with its embedding. */
    public List<Face> faces(RgbImage image) {
        List<FaceDetection> detections = detector.detect(image);
        List<float[]> embeddings = embedder.embed(image, detections.stream().map(FaceDetection::box).toList());
        List<Face> faces = new ArrayList<>();
        for (int i = 0; i < detections.size(); i++) {
            faces.add(new Face(detections.get(i), embeddings.get(i)));
        }
        return faces;
    }

    public FaceDetector detector() {
        return detector;
    }

    public FaceEmbedder embedder() {
        return embedder;
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot release the face networks", e);
        }
    }
}
