package dev.tuneforge.worker.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.worker.engine.clip.ClipScorer;
import dev.tuneforge.worker.engine.face.FaceBox;
import dev.tuneforge.worker.engine.face.FaceDetection;
import dev.tuneforge.worker.engine.face.FaceDetector;
import dev.tuneforge.worker.engine.face.FaceEmbedder;
import dev.tuneforge.worker.engine.face.FacePipeline;
import dev.tuneforge.worker.engine.image.RgbImage;
import dev.tuneforge.worker.engine.testing.Goldens;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics and the bad-input rules of the Evaluator, on stand-in face networks whose answers
 * are known (the real networks are proven on real photos in EvaluatorOnPhotosTest): an image "has
 * a face" when its top-left pixel is bright, and its embedding is its mean colour. The CLIP score
 * comes from the tiny CLIP of goldens/clip.
 */
class EvaluatorTest {

    private static final String PROMPT = "a photo of a man";
    private static ClipScorer clip;

    @BeforeAll
    static void loadClip() throws IOException {
        clip = ClipScorer.load(Goldens.dir("clip"));
    }

    @AfterAll
    static void closeClip() {
        clip.close();
    }

    @Test
    void metricsFollowTheHomeworkDefinitions() {
        Evaluator evaluator = Evaluator.of(pipeline(new AtomicInteger()), clip, null);
        List<GeneratedSample> generated = List.of(sample("a.png", face(200, 10, 10), PROMPT),
                sample("b.png", face(10, 200, 10), "a red car"), sample("c.png", noFace(), "a photo of a cat"));
        List<ImageInput> training = List.of(input("t1.png", face(200, 30, 30)), input("t2.png", face(30, 30, 200)),
                input("t3.png", noFace()));
        EvaluationReport report = evaluator.evaluate(generated, training);

        List<float[]> gen = List.of(faceEmbedding(face(200, 10, 10)), faceEmbedding(face(10, 200, 10)));
        List<float[]> train = List.of(faceEmbedding(face(200, 30, 30)), faceEmbedding(face(30, 30, 200)));
        assertThat(report.faceDistance()).isCloseTo(FaceDistance.meanOverPairs(gen, train), offset(1e-9));
        assertThat(report.images().get(0).faceDistance())
                .isCloseTo(FaceDistance.meanOverPairs(List.of(gen.get(0)), train), offset(1e-9));
        assertThat(report.faceless()).isEqualTo(1);
        assertThat(report.withFace()).isEqualTo(2);
        assertThat(report.generated()).isEqualTo(3);
        assertThat(report.training().withFace()).isEqualTo(2);
        assertThat(report.training().faceless()).containsExactly("t3.png");

        float[] expected = clip.score(List.of(face(200, 10, 10), face(10, 200, 10), noFace()),
                List.of(PROMPT, "a red car", "a photo of a cat"));
        assertThat(report.images()).extracting(ImageResult::clipScore)
                .containsExactly((double) expected[0], (double) expected[1], (double) expected[2]);
        // Only the images with a face count for the homework's aggregate; every image for the all-images one.
        assertThat(report.clipScore()).isCloseTo((expected[0] + expected[1]) / 2.0, offset(1e-6));
        assertThat(report.clipScoreAllImages())
                .isCloseTo((expected[0] + expected[1] + expected[2]) / 3.0, offset(1e-6))
                .isNotCloseTo(report.clipScore(), offset(1e-9));
        assertThat(report.clipScoreAllImagesError()).isNull();

        ImageResult first = report.images().get(0);
        assertThat(first.faceFound()).isTrue();
        assertThat(first.confidence()).isEqualTo(0.9);
        assertThat(first.box()).isEqualTo(new FaceBox(2, 2, 28, 28));
        assertThat(report.images().get(2).faceFound()).isFalse();
        assertThat(report.images().get(2).faceDistance()).isNull();
    }

    @Test
    void unreadableImageIsAnErrorOfThatImageOnly() {
        Evaluator evaluator = Evaluator.of(pipeline(new AtomicInteger()), clip, null);
        ImageInput broken = new ImageInput() {
            @Override
            public String name() {
                return "broken.png";
            }

            @Override
            public RgbImage read() throws IOException {
                throw new IOException("cannot decode image broken.png: not a PNG");
            }
        };
        EvaluationReport report = evaluator.evaluate(
                List.of(sample("a.png", face(200, 10, 10)), new GeneratedSample(broken, PROMPT)),
                List.of(input("t1.png", face(200, 30, 30)), broken));
        assertThat(report.unreadable()).isEqualTo(1);
        assertThat(report.faceless()).isZero();
        assertThat(report.images().get(1).error()).contains("broken.png").contains("not a PNG");
        assertThat(report.images().get(1).faceFound()).isNull();
        assertThat(report.training().errors()).singleElement().asString().contains("broken.png");
        assertThat(report.faceDistance()).isNotNull();
        assertThat(report.clipScore()).isNotNull();
    }

    @Test
    void trainingSetWithoutFacesFailsFaceMetricsButKeepsClipScore() {
        Evaluator evaluator = Evaluator.of(pipeline(new AtomicInteger()), clip, null);
        EvaluationReport report = evaluator.evaluate(List.of(sample("a.png", face(200, 10, 10))),
                List.of(input("t1.png", noFace()), input("t2.png", noFace())));
        assertThat(report.faceDistance()).isNull();
        assertThat(report.faceDistanceError()).isEqualTo("no face found in any of the 2 training images");
        assertThat(report.clipScore()).isNotNull();
        assertThat(report.images().get(0).faceFound()).isTrue();
    }

    /** A style or object: no face anywhere, so only the CLIP score over all images has a value. */
    @Test
    void facelessImagesHaveAClipScoreOverAllImagesOnly() {
        Evaluator evaluator = Evaluator.of(pipeline(new AtomicInteger()), clip, null);
        EvaluationReport report = evaluator.evaluate(
                List.of(sample("a.png", noFace(), "a watercolour city"), sample("b.png", blank(200), "a red car")),
                List.of(input("t1.png", noFace())));
        float[] expected = clip.score(List.of(noFace(), blank(200)), List.of("a watercolour city", "a red car"));

        assertThat(report.withFace()).isZero();
        assertThat(report.clipScore()).isNull();
        assertThat(report.clipScoreError()).isEqualTo("no generated image has a face");
        assertThat(report.clipScoreAllImages()).isCloseTo((expected[0] + expected[1]) / 2.0, offset(1e-6));
        assertThat(report.clipScoreAllImagesError()).isNull();
    }

    @Test
    void emptyGeneratedSetIsAnError() {
        Evaluator evaluator = Evaluator.of(pipeline(new AtomicInteger()), clip, null);
        assertThatThrownBy(() -> evaluator.evaluate(List.of(), List.of(input("t.png", face(1, 2, 3)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("generated images is empty");
    }

    @Test
    void withoutClipOrPromptsOnlyFaceMetricsAreComputed() {
        EvaluationReport noClip = Evaluator.of(pipeline(new AtomicInteger()), null, null)
                .evaluate(List.of(sample("a.png", face(200, 10, 10))), List.of(input("t.png", face(200, 9, 9))));
        assertThat(noClip.clipScore()).isNull();
        assertThat(noClip.clipScoreError()).isEqualTo("no CLIP model given");
        assertThat(noClip.clipScoreAllImages()).isNull();
        assertThat(noClip.clipScoreAllImagesError()).isEqualTo("no CLIP model given");
        assertThat(noClip.faceDistance()).isNotNull();

        EvaluationReport noPrompt = Evaluator.of(pipeline(new AtomicInteger()), clip, null).evaluate(
                List.of(new GeneratedSample(ImageInput.of("a.png", face(200, 10, 10)), null)),
                List.of(input("t.png", face(200, 9, 9))));
        assertThat(noPrompt.clipScoreError()).isEqualTo("no generated image has a prompt");
        assertThat(noPrompt.clipScoreAllImages()).isNull();
        assertThat(noPrompt.clipScoreAllImagesError()).isEqualTo("no generated image has a prompt");
    }

    /** Training embeddings are computed once per set of photos (by content: names and order do not matter). */
    @Test
    void trainingEmbeddingsAreCachedByContent(@TempDir Path cacheDir) {
        AtomicInteger embedded = new AtomicInteger();
        FacePipeline faces = pipeline(embedded);
        Evaluator evaluator = Evaluator.of(faces, null, cacheDir);
        List<GeneratedSample> generated = List.of(sample("a.png", face(200, 10, 10)));
        evaluator.evaluate(generated, List.of(input("t1.png", face(200, 30, 30)), input("t2.png", face(30, 30, 200))));
        assertThat(embedded.get()).isEqualTo(3);

        EvaluationReport again = evaluator.evaluate(generated,
                List.of(input("x.png", face(30, 30, 200)), input("y.png", face(200, 30, 30))));
        assertThat(embedded.get()).as("only the generated image is embedded again").isEqualTo(4);
        assertThat(again.training().withFace()).isEqualTo(2);

        Evaluator fresh = Evaluator.of(faces, null, cacheDir);
        fresh.evaluate(generated, List.of(input("t1.png", face(200, 30, 30)), input("t2.png", face(30, 30, 200))));
        assertThat(embedded.get()).as("a new evaluator reads the cache folder").isEqualTo(5);

        evaluator.evaluate(generated, List.of(input("t1.png", face(201, 30, 30)), input("t2.png", face(30, 30, 200))));
        assertThat(embedded.get()).as("a changed photo is a new training set").isEqualTo(8);
    }

    @Test
    void reportSerialisesToJson() throws IOException {
        EvaluationReport report = Evaluator.of(pipeline(new AtomicInteger()), clip, null).evaluate(
                List.of(sample("a.png", face(200, 10, 10)), sample("c.png", noFace())),
                List.of(input("t.png", face(200, 9, 9))));
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertThat(json.path("faceDistance").isNumber()).isTrue();
        assertThat(json.path("clipScore").asDouble()).isEqualTo(report.clipScore());
        assertThat(json.path("clipScoreAllImages").asDouble()).isEqualTo(report.clipScoreAllImages());
        assertThat(json.has("clipScoreAllImagesError")).isFalse();
        assertThat(json.path("faceless").asInt()).isEqualTo(1);
        assertThat(json.path("images").get(0).path("box").path("width").asDouble()).isEqualTo(28);
        assertThat(json.path("images").get(1).path("faceFound").asBoolean(true)).isFalse();
        assertThat(json.path("images").get(1).has("error")).isFalse();
        assertThat(json.path("faceModel").asText()).contains("stand-in");
    }

    private static GeneratedSample sample(String name, RgbImage image) {
        return sample(name, image, PROMPT);
    }

    private static GeneratedSample sample(String name, RgbImage image, String prompt) {
        return new GeneratedSample(ImageInput.of(name, image), prompt);
    }

    private static ImageInput input(String name, RgbImage image) {
        return ImageInput.of(name, image);
    }

    /** A 32×32 image of one colour with a bright top-left pixel: a "face". */
    private static RgbImage face(int r, int g, int b) {
        int[] pixels = fill(r, g, b);
        pixels[0] = 255;
        return RgbImage.of(32, 32, pixels);
    }

    private static RgbImage noFace() {
        return blank(20);
    }

    /** A grey image with no "face" (the top-left pixel is no brighter than the rest). */
    private static RgbImage blank(int grey) {
        int[] pixels = fill(grey, grey, grey);
        pixels[0] = 0;
        return RgbImage.of(32, 32, pixels);
    }

    private static int[] fill(int r, int g, int b) {
        int[] pixels = new int[32 * 32 * 3];
        for (int i = 0; i < pixels.length; i += 3) {
            pixels[i] = r;
            pixels[i + 1] = g;
            pixels[i + 2] = b;
        }
        return pixels;
    }

    /** What the stand-in embedder gives for the stand-in detector's box. */
    private static float[] faceEmbedding(RgbImage image) {
        return meanColour(image.crop(2, 2, 28, 28));
    }

    private static FacePipeline pipeline(AtomicInteger embedded) {
        FaceDetector detector = new FaceDetector() {
            @Override
            public String name() {
                return "stand-in detector";
            }

            @Override
            public List<FaceDetection> detect(RgbImage image) {
                return image.get(0, 0, 0) > 128 ? List.of(new FaceDetection(0.9, new FaceBox(2, 2, 28, 28)))
                        : List.of();
            }
        };
        FaceEmbedder embedder = new FaceEmbedder() {
            @Override
            public String name() {
                return "stand-in mean colour";
            }

            @Override
            public List<float[]> embed(RgbImage image, List<FaceBox> faces) {
                List<float[]> out = new ArrayList<>();
                for (FaceBox box : faces) {
                    embedded.incrementAndGet();
                    out.add(meanColour(image.crop((int) box.x(), (int) box.y(), (int) box.width(),
                            (int) box.height())));
                }
                return out;
            }
        };
        return new FacePipeline(detector, embedder);
    }

    private static float[] meanColour(RgbImage crop) {
        float[] mean = new float[3];
        for (int y = 0; y < crop.height(); y++) {
            for (int x = 0; x < crop.width(); x++) {
                for (int c = 0; c < 3; c++) {
                    mean[c] += crop.get(x, y, c) / (float) (crop.width() * crop.height());
                }
            }
        }
        return mean;
    }
}
