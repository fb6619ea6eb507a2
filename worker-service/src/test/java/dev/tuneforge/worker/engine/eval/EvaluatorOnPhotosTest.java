package dev.tuneforge.worker.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.tuneforge.worker.engine.face.DetectorOptions;
import dev.tuneforge.worker.engine.face.FaceModelFiles;
import dev.tuneforge.worker.engine.face.FacePhotos;
import dev.tuneforge.worker.engine.face.FacePipeline;
import dev.tuneforge.worker.engine.face.FaceRecognitionNet;
import dev.tuneforge.worker.engine.image.RgbImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The face metrics on the real photos of ../shared/faces/people: five cropped photos each of four
 * people. The crops are face chips (the face fills the frame), so for the detector each is centred
 * on a plain canvas three times its size, as a face appears in an ordinary photo.
 */
class EvaluatorOnPhotosTest {

    private static final List<String> PEOPLE = List.of("amy", "bernadette", "howard", "leonard");
    private static final int CANVAS_BORDER = 150;
    private static final int CANVAS_GRAY = 128;

    private static FacePipeline faces;
    private static final Map<String, List<ImageInput>> PHOTOS = new LinkedHashMap<>();

    @BeforeAll
    static void load() throws IOException {
        faces = FacePipeline.load(FaceModelFiles.locate(), DetectorOptions.DEFAULT, FacePipeline.DEFAULT_MARGIN);
        for (String person : PEOPLE) {
            List<ImageInput> photos = new ArrayList<>();
            for (Path file : FacePhotos.files("people/" + person)) {
                photos.add(ImageInput.of(file.getFileName().toString(), onCanvas(RgbImage.read(file))));
            }
            assertThat(photos).hasSize(5);
            PHOTOS.put(person, photos);
        }
    }

    @AfterAll
    static void close() {
        faces.close();
    }

    /**
     * face-api.js's way (the whole chip as the network's input, Euclidean distance between
     * descriptors): every distance between two photos of one person is below every distance
     * between photos of two people.
     */
    @Test
    void samePersonDescriptorsAreCloserThanDifferentPeople() throws IOException {
        List<float[]> descriptors = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            FaceRecognitionNet net = FaceRecognitionNet.load(FaceModelFiles.locate(), manager);
            for (String person : PEOPLE) {
                List<RgbImage> chips = new ArrayList<>();
                for (Path file : FacePhotos.files("people/" + person)) {
                    chips.add(RgbImage.read(file));
                    owners.add(person);
                }
                descriptors.addAll(net.descriptors(chips, manager));
            }
        }
        double[] normalised = sameAndDifferentExtremes(descriptors, owners, FaceDistance::between);
        System.out.printf("people/* whole-chip, L2-normalised: largest same-person %.4f, smallest different-person "
                + "%.4f%n", normalised[0], normalised[1]);
        double[] extremes = sameAndDifferentExtremes(descriptors, owners, EvaluatorOnPhotosTest::euclidean);
        System.out.printf("people/* whole-chip descriptors: largest same-person distance %.4f, smallest "
                + "different-person distance %.4f, margin %.4f%n", extremes[0], extremes[1], extremes[1] - extremes[0]);
        assertThat(extremes[0]).isLessThan(extremes[1]);
    }

    /**
     * Through the evaluation pipeline (detect, square crop, embed, L2-normalise): every photo's
     * nearest other photo is of the same person. (The strict all-pairs order of the whole-chip
     * test does not hold here: crops from the detector's box on a plain canvas are rougher than
     * dlib's aligned chips; the extremes are printed.)
     */
    @Test
    void eachFaceFoundByThePipelineIsNearestToTheSamePerson() {
        List<float[]> embeddings = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (String person : PEOPLE) {
            for (ImageInput photo : PHOTOS.get(person)) {
                var found = faces.faces(read(photo));
                assertThat(found).as(person + " " + photo.name()).hasSize(1);
                embeddings.add(found.get(0).embedding());
                owners.add(person);
            }
        }
        for (int i = 0; i < embeddings.size(); i++) {
            int nearest = -1;
            double nearestDistance = Double.MAX_VALUE;
            for (int j = 0; j < embeddings.size(); j++) {
                double d = FaceDistance.between(embeddings.get(i), embeddings.get(j));
                if (j != i && d < nearestDistance) {
                    nearest = j;
                    nearestDistance = d;
                }
            }
            assertThat(owners.get(nearest)).as("nearest face to photo %d of %s", i % 5 + 1, owners.get(i))
                    .isEqualTo(owners.get(i));
        }
        double[] extremes = sameAndDifferentExtremes(embeddings, owners, FaceDistance::between);
        System.out.printf("people/* pipeline face distances: largest same-person %.4f, smallest different-person "
                + "%.4f%n", extremes[0], extremes[1]);
    }

    /**
     * The checkpoint score: two photos of a person scored against the person's three other photos
     * get a lower face distance than against three photos of anyone else.
     */
    @Test
    void faceDistanceScoreIsLowestAgainstTheSamePerson() {
        Evaluator evaluator = Evaluator.of(faces, null, null);
        for (String person : PEOPLE) {
            List<GeneratedSample> generated = PHOTOS.get(person).subList(0, 2).stream()
                    .map(p -> new GeneratedSample(p, null)).toList();
            Map<String, Double> scores = new LinkedHashMap<>();
            for (String other : PEOPLE) {
                EvaluationReport report = evaluator.evaluate(generated, PHOTOS.get(other).subList(2, 5));
                assertThat(report.withFace()).isEqualTo(2);
                assertThat(report.training().withFace()).isEqualTo(3);
                scores.put(other, report.faceDistance());
            }
            System.out.printf("face distance of %s's photos 1-2 against photos 3-5 of each person: %s%n", person,
                    scores);
            double same = scores.get(person);
            scores.forEach((other, score) -> {
                if (!other.equals(person)) {
                    assertThat(same).as(person + " vs " + other).isLessThan(score);
                }
            });
        }
    }

    /** {largest same-owner distance, smallest different-owner distance} over all pairs. */
    private static double[] sameAndDifferentExtremes(List<float[]> vectors, List<String> owners, Distance distance) {
        double maxSame = 0;
        double minDifferent = Double.MAX_VALUE;
        for (int i = 0; i < vectors.size(); i++) {
            for (int j = i + 1; j < vectors.size(); j++) {
                double d = distance.between(vectors.get(i), vectors.get(j));
                if (owners.get(i).equals(owners.get(j))) {
                    maxSame = Math.max(maxSame, d);
                } else {
                    minDifferent = Math.min(minDifferent, d);
                }
            }
        }
        return new double[] {maxSame, minDifferent};
    }

    @FunctionalInterface
    private interface Distance {
        double between(float[] a, float[] b);
    }

    private static double euclidean(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }

    private static RgbImage read(ImageInput input) {
        try {
            return input.read();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RgbImage onCanvas(RgbImage chip) {
        int w = chip.width() + 2 * CANVAS_BORDER;
        int h = chip.height() + 2 * CANVAS_BORDER;
        int[] pixels = new int[w * h * 3];
        Arrays.fill(pixels, CANVAS_GRAY);
        for (int y = 0; y < chip.height(); y++) {
            for (int x = 0; x < chip.width(); x++) {
                for (int c = 0; c < 3; c++) {
                    pixels[((y + CANVAS_BORDER) * w + x + CANVAS_BORDER) * 3 + c] = chip.get(x, y, c);
                }
            }
        }
        return RgbImage.of(w, h, pixels);
    }
}
