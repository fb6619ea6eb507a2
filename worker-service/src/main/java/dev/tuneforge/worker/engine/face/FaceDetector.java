package dev.tuneforge.worker.engine.face;

import dev.tuneforge.worker.engine.image.RgbImage;
import java.util.List;

/** Finds faces in an image. */
public interface FaceDetector {

    /** Names the network and its settings; part of the cache key of training-set embeddings. */
    String name();

    /** The faces found, most confident first; empty when there is none. */
    List<FaceDetection> detect(RgbImage image);
}
