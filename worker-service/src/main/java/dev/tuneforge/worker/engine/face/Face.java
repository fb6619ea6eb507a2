package dev.tuneforge.worker.engine.face;

/**
 * A face found in an image, with its identity embedding.
 *
 * @param detection where, and how confident the detector is
 * @param embedding the embedder's vector (not normalised)
 */
public record Face(FaceDetection detection, float[] embedding) {
}
