package dev.tuneforge.worker.engine.face;

/**
 * A detected face.
 *
 * @param score the detector's confidence, 0..1
 * @param box where, in pixels of the input image (may reach past its borders)
 */
public record FaceDetection(double score, FaceBox box) {
}
