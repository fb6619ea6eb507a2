package dev.tuneforge.worker.engine.face;

/**
 * How a detector runs.
 *
 * @param inputSize side of the square the image is scaled into (a multiple of 32; larger finds
 *     smaller faces, slower)
 * @param scoreThreshold the lowest confidence that counts as a face, in (0, 1)
 */
public record DetectorOptions(int inputSize, double scoreThreshold) {

    /** face-api's TinyFaceDetector defaults: 416 pixels, score above 0.5. */
    public static final DetectorOptions DEFAULT = new DetectorOptions(416, 0.5);

    public DetectorOptions {
        if (inputSize <= 0 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("detector input size must be a positive multiple of 32, got "
                    + inputSize);
        }
        if (!(scoreThreshold > 0 && scoreThreshold < 1)) {
            throw new IllegalArgumentException("detector score threshold must be between 0 and 1, got "
                    + scoreThreshold);
        }
    }
}
