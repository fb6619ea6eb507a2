package dev.tuneforge.worker.engine.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.image.RgbImage;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Goldens;
import dev.tuneforge.worker.engine.text.ClipTokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClipScorerTest {

    private static Fixtures fixtures;
    private static ClipScorer scorer;

    @BeforeAll
    static void load() throws IOException {
        fixtures = Goldens.fixtures("clip");
        scorer = ClipScorer.load(fixtures.dir());
    }

    @AfterAll
    static void close() throws IOException {
        scorer.close();
        fixtures.close();
    }

    /** Image through the processor, prompt through the tokenizer: exp(logit_scale) · cos of the reference inputs. */
    @Test
    void scoreIsLogitsPerImageOfTheImageAndItsPrompt() throws IOException {
        RgbImage image = ClipImageProcessorTest.imageOf(fixtures.get("preprocess.image_uint8_hwc"));
        String prompt = fixtures.description().path("texts").get(0).asText();
        float score = scorer.score(List.of(image), List.of(prompt))[0];
        try (NDManager manager = NDManager.newBaseManager();
             ClipTokenizer tokenizer = ClipTokenizer.load(fixtures.dir().resolve("tokenizer"))) {
            ClipModel model = scorer.model();
            NDArray imageEmbeds = model.imageEmbeds(fixtures.get("preprocess.pixel_values", manager));
            long[] ids = tokenizer.encode(prompt).ids();
            NDArray textEmbeds = model.textEmbeds(manager.create(ids, new Shape(1, ids.length)));
            float expected = model.logitsPerImage(imageEmbeds, textEmbeds).getFloat(0, 0);
            assertThat(score).isCloseTo(expected, offset(1e-4f));
        }
    }

    /** More images than one batch: every image is scored against its own prompt, in order. */
    @Test
    void scoresEveryPairAcrossBatches() {
        RgbImage image = ClipImageProcessorTest.imageOf(fixtures.get("preprocess.image_uint8_hwc"));
        List<String> texts = new ArrayList<>();
        fixtures.description().path("texts").forEach(t -> texts.add(t.asText()));
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            prompts.add(texts.get(i % texts.size()));
        }
        float[] scores = scorer.score(Collections.nCopies(prompts.size(), image), prompts);
        for (int i = 0; i < prompts.size(); i++) {
            float alone = scorer.score(List.of(image), List.of(prompts.get(i)))[0];
            assertThat(scores[i]).as("pair %d", i).isCloseTo(alone, offset(1e-4f));
        }
        assertThat(scores[0]).isNotCloseTo(scores[1], offset(1e-3f));
    }

    @Test
    void mismatchedCountsFailNamingBoth() {
        RgbImage image = ClipImageProcessorTest.imageOf(fixtures.get("preprocess.image_uint8_hwc"));
        assertThatThrownBy(() -> scorer.score(List.of(image, image), List.of("a")))
                .hasMessageContaining("2 images but 1 prompts");
    }
}
