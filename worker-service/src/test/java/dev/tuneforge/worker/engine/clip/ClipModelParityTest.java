package dev.tuneforge.worker.engine.clip;

import static dev.tuneforge.worker.engine.testing.Tensors.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Goldens;
import dev.tuneforge.worker.engine.text.ClipTokenizer;
import dev.tuneforge.worker.engine.weights.SafeTensorsFile;
import dev.tuneforge.worker.engine.weights.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parity with transformers' CLIPModel on goldens/clip: vision tower, embeddings, logits, CLIP score. */
class ClipModelParityTest {

    private static final double ATOL = 1e-4;

    private static Fixtures fixtures;
    private static NDManager manager;
    private static ClipModel model;

    @BeforeAll
    static void load() throws IOException {
        fixtures = Goldens.fixtures("clip");
        manager = NDManager.newBaseManager();
        model = ClipModel.load(fixtures.dir(), manager);
    }

    @AfterAll
    static void close() throws IOException {
        manager.close();
        fixtures.close();
    }

    @Test
    void visionTowerMatchesReference() {
        try (NDManager step = manager.newSubManager()) {
            ClipVisionOutput out = model.vision().forward(fixtures.get("input.pixel_values", step));
            report("vision_last_hidden_state", assertClose(out.lastHiddenState(),
                    fixtures.get("output.vision_last_hidden_state"), ATOL, "vision last_hidden_state"));
            report("vision_pooler_output", assertClose(out.poolerOutput(),
                    fixtures.get("output.vision_pooler_output"), ATOL, "vision pooler_output"));
        }
    }

    @Test
    void embeddingsLogitsAndScoreMatchReference() {
        try (NDManager step = manager.newSubManager()) {
            NDArray image = model.imageEmbeds(fixtures.get("input.pixel_values", step));
            NDArray text = model.textEmbeds(fixtures.get("input.input_ids", step));
            report("image_embeds", assertClose(image, fixtures.get("output.image_embeds"), ATOL, "image_embeds"));
            report("text_embeds", assertClose(text, fixtures.get("output.text_embeds"), ATOL, "text_embeds"));
            NDArray logits = model.logitsPerImage(image, text);
            report("logits_per_image", assertClose(logits, fixtures.get("output.logits_per_image"), ATOL,
                    "logits_per_image"));
            assertThat((double) model.logitScale())
                    .isCloseTo(Math.exp(fixtures.get("output.logit_scale").getFloat()), org.assertj.core.data.Offset.offset(1e-5));
            NDArray cosine = logits.div(model.logitScale());
            report("cosine_image_text", assertClose(cosine, fixtures.get("output.cosine_image_text"), ATOL,
                    "cosine"));
            // torchmetrics' CLIPScore clamps at 0; on this pair set it is 100 * max(cos, 0).
            report("clip_score", assertClose(cosine.maximum(0f).mul(100f), fixtures.get("output.clip_score"), ATOL,
                    "clip_score"));
        }
    }

    /** The prompts through the tokenizer (padded to 77, not to the longest) give the same text embeddings. */
    @Test
    void tokenizedPromptsGiveTheReferenceTextEmbeddings() throws IOException {
        List<String> texts = new ArrayList<>();
        fixtures.description().path("texts").forEach(t -> texts.add(t.asText()));
        assertThat(texts).isNotEmpty();
        try (ClipTokenizer tokenizer = ClipTokenizer.load(fixtures.dir().resolve("tokenizer"));
             NDManager step = manager.newSubManager()) {
            int length = tokenizer.maxLength();
            long[] ids = new long[texts.size() * length];
            for (int i = 0; i < texts.size(); i++) {
                System.arraycopy(tokenizer.encode(texts.get(i)).ids(), 0, ids, i * length, length);
            }
            NDArray text = model.textEmbeds(step.create(ids, new Shape(texts.size(), length)));
            report("text_embeds (tokenized)", assertClose(text, fixtures.get("output.text_embeds"), ATOL,
                    "text_embeds of tokenized prompts"));
        }
    }

    @Test
    void forwardLeavesNothingInTheModelManager() {
        int loaded = manager.getManagedArrays().size();
        try (NDManager step = manager.newSubManager()) {
            model.imageEmbeds(fixtures.get("input.pixel_values", step));
            model.textEmbeds(fixtures.get("input.input_ids", step));
        }
        assertThat(manager.getManagedArrays()).hasSize(loaded);
    }

    @Test
    void wrongImageSizeFailsNamingTheExpectedShape() {
        int size = fixtures.description().path("vision_config").path("image_size").asInt();
        try (NDManager step = manager.newSubManager()) {
            NDArray pixels = step.zeros(new Shape(1, 3, size + 2, size + 2));
            assertThatThrownBy(() -> model.imageEmbeds(pixels))
                    .hasMessageContaining("(batch, 3, " + size + ", " + size + ")")
                    .hasMessageContaining("(1, 3, " + (size + 2));
        }
    }

    @Test
    void unusedWeightsFailNamingThem(@TempDir Path dir) throws IOException {
        Files.copy(fixtures.dir().resolve("config.json"), dir.resolve("config.json"));
        try (NDManager scratch = NDManager.newBaseManager();
             SafeTensorsFile original = SafeTensorsFile.open(fixtures.dir().resolve("model.safetensors"))) {
            SafeTensorsWriter writer = new SafeTensorsWriter();
            for (String name : original.names()) {
                writer.add(name, original.load(name, scratch));
            }
            writer.add("vision_model.embeddings.position_ids", scratch.arange(0, 4).reshape(1, 4));
            writer.add("vision_model.extra.weight", scratch.ones(new Shape(2)));
            writer.write(dir.resolve("model.safetensors"));
            assertThatThrownBy(() -> ClipModel.load(dir, scratch))
                    .hasMessageContaining("vision_model.extra.weight")
                    .message().doesNotContain("position_ids");
        }
    }

    @Test
    void missingVisionWeightFailsNamingIt(@TempDir Path dir) throws IOException {
        JsonNode keys = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(fixtures.dir().resolve("state_dict_keys.json").toFile());
        assertThat(keys.has("vision_model.post_layernorm.weight")).isTrue();
        Files.copy(fixtures.dir().resolve("config.json"), dir.resolve("config.json"));
        try (NDManager scratch = NDManager.newBaseManager();
             SafeTensorsFile original = SafeTensorsFile.open(fixtures.dir().resolve("model.safetensors"))) {
            SafeTensorsWriter writer = new SafeTensorsWriter();
            original.names().stream().filter(n -> !n.equals("vision_model.post_layernorm.weight"))
                    .forEach(n -> writer.add(n, original.load(n, scratch)));
            writer.write(dir.resolve("model.safetensors"));
            assertThatThrownBy(() -> ClipModel.load(dir, scratch))
                    .hasMessageContaining("missing weight 'vision_model.post_layernorm.weight'");
        }
    }

    private static void report(String what, double maxDiff) {
        System.out.printf("clip parity %s max|diff| %.3g%n", what, maxDiff);
    }
}
