package dev.tuneforge.worker.engine.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.tuneforge.worker.engine.image.RgbImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** face-api's TinyFaceDetector on real photos of ../shared/faces. */
class TinyFaceDetectorTest {

    private static NDManager manager;
    private static TinyFaceDetector detector;

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager();
        detector = TinyFaceDetector.load(FaceModelFiles.locate(), manager, DetectorOptions.DEFAULT);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void findsExactlyOneFaceInEachSinglePortrait() {
        List<Path> photos = FacePhotos.files("single").stream().filter(p -> p.toString().endsWith(".jpg")).toList();
        assertThat(photos).hasSize(5);
        for (Path photo : photos) {
            RgbImage image = FacePhotos.image("single/" + photo.getFileName());
            List<FaceDetection> faces = detector.detect(image);
            System.out.printf("tiny face detector %s: %s%n", photo.getFileName(), faces);
            assertThat(faces).as(photo.getFileName().toString()).hasSize(1);
            FaceBox box = faces.get(0).box();
            assertThat(box.width()).as("face width in " + photo.getFileName()).isBetween(0.15 * image.width(),
                    0.9 * image.width());
            assertThat(box.x() + box.width() / 2).isBetween(0.0, (double) image.width());
            assertThat(box.y() + box.height() / 2).isBetween(0.0, (double) image.height());
        }
    }

    @Test
    void findsNoFaceInABlankImage() {
        assertThat(detector.detect(FacePhotos.image("single/white-no-face.png"))).isEmpty();
    }

    /** The group photo of face-api.js's tests: face-api.js finds six faces in it (facesFaceDescriptors.json). */
    @Test
    void findsEveryFaceOfTheGroupPhoto() {
        List<FaceDetection> faces = detector.detect(FacePhotos.image("reference/faces.jpg"));
        assertThat(faces).hasSize(6);
        assertThat(faces).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
        for (int i = 0; i < faces.size(); i++) {
            for (int j = i + 1; j < faces.size(); j++) {
                assertThat(faces.get(i).box().iou(faces.get(j).box())).isLessThanOrEqualTo(0.4);
            }
        }
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> new DetectorOptions(400, 0.5)).hasMessageContaining("multiple of 32, got 400");
        assertThatThrownBy(() -> new DetectorOptions(416, 1.0)).hasMessageContaining("between 0 and 1, got 1.0");
    }
}
