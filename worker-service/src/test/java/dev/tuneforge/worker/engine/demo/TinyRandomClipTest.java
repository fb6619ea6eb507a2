package dev.tuneforge.worker.engine.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.worker.engine.clip.ClipScorer;
import dev.tuneforge.worker.engine.image.RgbImage;
import dev.tuneforge.worker.engine.text.ClipTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's tiny random CLIP: deterministic files, the tiny SD model's tokenizer, and a scorer that loads it. */
class TinyRandomClipTest {

    private static final String PROMPT = "a photo of a tfdemo red circle on a blue background";

    @TempDir
    static Path shared;
    private static Path clip;

    @BeforeAll
    static void writeClip() throws IOException {
        clip = TinyRandomClip.write(shared.resolve("tiny-random-clip"), TinyModelFactory.DEFAULT_SEED);
    }

    @Test
    void theSameSeedWritesTheSameBytesAndTheFolderSaysItIsRandom(@TempDir Path dir) throws IOException {
        Path again = TinyRandomClip.write(dir.resolve("again"), TinyModelFactory.DEFAULT_SEED);
        List<Path> files = files(clip);
        assertThat(files).containsExactlyInAnyOrder(Path.of("config.json"), Path.of("model.safetensors"),
                Path.of("preprocessor_config.json"), Path.of("vocab.json"), Path.of("merges.txt"),
                Path.of("tokenizer_config.json"), Path.of("special_tokens_map.json"), Path.of("README.txt"));
        assertThat(files(again)).isEqualTo(files);
        for (Path file : files) {
            assertThat(Files.readAllBytes(again.resolve(file))).as(file.toString())
                    .isEqualTo(Files.readAllBytes(clip.resolve(file)));
        }
        assertThat(Files.readString(clip.resolve("README.txt"))).contains("random weights, not a real model",
                "meaningless");
        assertThat(Files.readString(clip.resolve("config.json"))).contains(TinyRandomClip.NAME);

        Path other = TinyRandomClip.write(dir.resolve("other"), TinyModelFactory.DEFAULT_SEED + 1);
        assertThat(Files.readAllBytes(other.resolve("model.safetensors")))
                .isNotEqualTo(Files.readAllBytes(clip.resolve("model.safetensors")));
    }

    @Test
    void itUsesTheTinyModelsTokenizerAndAVocabularySizeThatMatchesIt(@TempDir Path dir) throws IOException {
        Path model = TinyModelFactory.write(dir.resolve("model"), TinyModelFactory.DEFAULT_SEED);
        for (String file : List.of("vocab.json", "merges.txt")) {
            assertThat(Files.readAllBytes(clip.resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(model.resolve("tokenizer").resolve(file)));
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode text = json.readTree(clip.resolve("config.json").toFile()).path("text_config");
        JsonNode vocab = json.readTree(clip.resolve("vocab.json").toFile());
        assertThat(text.path("vocab_size").asInt()).isEqualTo(vocab.size());
        assertThat(text.path("eos_token_id").asInt()).isEqualTo(vocab.path("<|endoftext|>").asInt());
        try (ClipTokenizer tokenizer = ClipTokenizer.load(clip)) {
            assertThat(tokenizer.encode(PROMPT).tokens()).contains("tfdemo</w>", "circle</w>");
        }
    }

    @Test
    void theScorerLoadsItAndGivesFiniteRepeatableScoresThatTellImagesApart() throws IOException {
        List<RgbImage> images = List.of(square(64, 220, 30, 30), square(64, 30, 30, 220), square(48, 30, 200, 30));
        List<String> prompts = List.of(PROMPT, PROMPT, "a green square");
        float[] first;
        try (ClipScorer scorer = ClipScorer.load(clip)) {
            first = scorer.score(images, prompts);
        }
        float[] second;
        try (ClipScorer scorer = ClipScorer.load(clip)) {
            second = scorer.score(images, prompts);
        }
        assertThat(first).hasSize(3);
        for (float score : first) {
            assertThat(Float.isFinite(score)).as("score %s is finite", score).isTrue();
        }
        assertThat(second).containsExactly(first);
        assertThat(first[0]).as("a red and a blue image against the same prompt").isNotEqualTo(first[1]);
    }

    /** A {@code size}² image of one colour with a white square in the middle. */
    private static RgbImage square(int size, int r, int g, int b) {
        int[] pixels = new int[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean inside = x >= size / 4 && x < 3 * size / 4 && y >= size / 4 && y < 3 * size / 4;
                int i = (y * size + x) * 3;
                pixels[i] = inside ? 255 : r;
                pixels[i + 1] = inside ? 255 : g;
                pixels[i + 2] = inside ? 255 : b;
            }
        }
        return RgbImage.of(size, size, pixels);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }
}
