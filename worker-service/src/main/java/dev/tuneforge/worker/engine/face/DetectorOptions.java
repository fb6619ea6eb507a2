package dev.tuneforge.worker.engine.face;

import java.util.Locale;

/**
 * Which face detector runs, and how.
 *
 * @param network the detector network
 * @param inputSize side of the square the image is scaled into: a multiple of 32 for
 *     TinyFaceDetector (larger finds smaller faces, slower); SSD MobileNetV1 always runs at 512
 * @param scoreThreshold the lowest confidence that counts as a face, in (0, 1)
 */
public record DetectorOptions(Network network, int inputSize, double scoreThreshold) {

    /** The face detectors of face-api. */
    public enum Network {
        /** Tiny-YOLOv2 with separable convolutions: 190 KB, fast. */
        TINY("tiny", 416),
        /** SSD with a MobileNetV1 backbone: 5.4 MB, slower, finds harder faces. */
        SSD("ssd", SsdMobilenetV1Detector.INPUT_SIZE);

        private final String cliName;
        private final int defaultInputSize;

        Network(String cliName, int defaultInputSize) {
            this.cliName = cliName;
            this.defaultInputSize = defaultInputSize;
        }

        /** The network a command line names ("tiny" or "ssd"). */
        public static Network named(String name) {
            for (Network network : values()) {
                if (network.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                    return network;
                }
            }
            throw new IllegalArgumentException("unknown face detector '" + name + "' (known: tiny, ssd)");
        }

        public int defaultInputSize() {
            return defaultInputSize;
        }
    }

    /** face-api's TinyFaceDetector defaults: 416 pixels, score above 0.5. */
    public static final DetectorOptions DEFAULT = new DetectorOptions(Network.TINY, 416, 0.5);

    public DetectorOptions {
        if (inputSize <= 0 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("detector input size must be a positive multiple of 32, got "
                    + inputSize);
        }
        if (network == Network.SSD && inputSize != SsdMobilenetV1Detector.INPUT_SIZE) {
            throw new IllegalArgumentException("SSD MobileNetV1 runs at " + SsdMobilenetV1Detector.INPUT_SIZE
                    + " pixels (its anchors are fixed), got input size " + inputSize);
        }
        if (!(scoreThreshold > 0 && scoreThreshold < 1)) {
            throw new IllegalArgumentException("detector score threshold must be between 0 and 1, got "
                    + scoreThreshold);
        }
    }

    /** {@code network} at its default input size. */
    public static DetectorOptions of(Network network, double scoreThreshold) {
        return new DetectorOptions(network, network.defaultInputSize(), scoreThreshold);
    }
}
