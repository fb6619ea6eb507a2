package dev.tuneforge.worker.engine.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.tuneforge.worker.engine.face.DetectorOptions.Network;
import dev.tuneforge.worker.engine.image.RgbImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** face-api's TinyFaceDetector and SSD MobileNetV1 on the real photos of ../shared/faces. */
class FaceDetectorsTest {

    private static final NDManager MANAGER = NDManager.newBaseManager();
    private static final Map<Network, FaceDetector> DETECTORS = new EnumMap<>(Network.class);

    @AfterAll
    static void close() {
        MANAGER.close();
    }

    private static FaceDetector detector(Network network) {
        return DETECTORS.computeIfAbsent(network, n -> {
            try {
                DetectorOptions options = DetectorOptions.of(n, 0.5);
                return n == Network.TINY ? TinyFaceDetector.load(FaceModelFiles.locate(), MANAGER, options)
                        : SsdMobilenetV1Detector.load(FaceModelFiles.locate(), MANAGER, options);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Network.class)
    void findsExactlyOneFaceInEachSinglePortrait(Network network) {
        List<Path> photos = FacePhotos.files("single").stream().filter(p -> p.toString().endsWith(".jpg")).toList();
        assertThat(photos).hasSize(5);
        for (Path photo : photos) {
            RgbImage image = FacePhotos.image("single/" + photo.getFileName());
            List<FaceDetection> faces = detector(network).detect(image);
            System.out.printf("%s %s: %s%n", network, photo.getFileName(), faces);
            assertThat(faces).as(photo.getFileName().toString()).hasSize(1);
            FaceBox box = faces.get(0).box();
            assertThat(box.width()).as("face width in " + photo.getFileName()).isBetween(0.15 * image.width(),
                    0.9 * image.width());
            assertThat(box.x() + box.width() / 2).isBetween(0.0, (double) image.width());
            assertThat(box.y() + box.height() / 2).isBetween(0.0, (double) image.height());
        }
    }

    @ParameterizedTest
    @EnumSource(Network.class)
    void findsNoFaceInABlankImage(Network network) {
        assertThat(detector(network).detect(FacePhotos.image("single/white-no-face.png"))).isEmpty();
    }

    /** The group photo of face-api.js's tests: face-api.js finds six faces in it (facesFaceDescriptors.json). */
    @ParameterizedTest
    @EnumSource(Network.class)
    void findsEveryFaceOfTheGroupPhoto(Network network) {
        List<FaceDetection> faces = detector(network).detect(FacePhotos.image("reference/faces.jpg"));
        assertThat(faces).hasSize(6);
        assertThat(faces).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
        for (int i = 0; i < faces.size(); i++) {
            for (int j = i + 1; j < faces.size(); j++) {
                assertThat(faces.get(i).box().iou(faces.get(j).box())).isLessThanOrEqualTo(0.5);
            }
        }
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> new DetectorOptions(Network.TINY, 400, 0.5)).hasMessageContaining("multiple of 32, got 400");
        assertThatThrownBy(() -> new DetectorOptions(Network.TINY, 416, 1.0))
                .hasMessageContaining("between 0 and 1, got 1.0");
        assertThatThrownBy(() -> new DetectorOptions(Network.SSD, 416, 0.5)).hasMessageContaining("runs at 512");
        assertThatThrownBy(() -> Network.named("yolo")).hasMessageContaining("'yolo' (known: tiny, ssd)");
        assertThat(DetectorOptions.of(Network.SSD, 0.3).inputSize()).isEqualTo(512);
    }
}
