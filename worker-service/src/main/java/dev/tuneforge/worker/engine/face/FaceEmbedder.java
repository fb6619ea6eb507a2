package dev.tuneforge.worker.engine.face;

import dev.tuneforge.worker.engine.image.RgbImage;
import java.util.List;

/**
 * Turns detected faces into identity embeddings: the same person gives nearby vectors. Each
 * implementation crops, aligns and scales the faces as its network needs; face-api's
 * FaceRecognitionNet is the built-in one, an ONNX ArcFace/GhostFaceNet can be another.
 */
public interface FaceEmbedder {

    /** Names the network and its settings; part of the cache key of training-set embeddings. */
    String name();

    /** One embedding per box of {@code image}, in order. */
    List<float[]> embed(RgbImage image, List<FaceBox> faces);
}
