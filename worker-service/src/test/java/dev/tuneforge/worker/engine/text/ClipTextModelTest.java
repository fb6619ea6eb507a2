package dev.tuneforge.worker.engine.text;

import static dev.tuneforge.worker.engine.testing.Tensors.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Goldens;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import dev.tuneforge.worker.engine.weights.SafeTensorsFile;
import dev.tuneforge.worker.engine.weights.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTextModelTest {

    private static final double ATOL = 1e-4;

    /** Parity with transformers' CLIPTextModel on tokenized prompts: last state, pooler, every hidden state. */
    @Test
    void matchesReferenceOnTokenizedPrompts() throws IOException {
        try (Fixtures fixtures = Goldens.fixtures("clip_text");
             NDManager manager = NDManager.newBaseManager()) {
            ClipTextModel model = ClipTextModel.load(fixtures.dir(), manager);
            ClipTextOutput out = model.forward(fixtures.get("input.input_ids"));
            report("last_hidden_state", assertClose(out.lastHiddenState(), fixtures.get("output.last_hidden_state"),
                    ATOL, "last_hidden_state"));
            report("pooler_output", assertClose(out.poolerOutput(), fixtures.get("output.pooler_output"), ATOL,
                    "pooler_output"));
            int layers = ModelConfig.read(fixtures.dir().resolve("config.json")).getInt("num_hidden_layers");
            assertThat(out.hiddenStates()).hasSize(layers + 1);
            assertThat(fixtures.names("output.hidden_states.")).hasSize(layers + 1);
            for (int i = 0; i <= layers; i++) {
                String name = "output.hidden_states." + i;
                report(name, assertClose(out.hiddenStates().get(i), fixtures.get(name), ATOL, name));
            }
        }
    }

    /** Shorter random sequences without an end token: positions and the pooling rule still match. */
    @Test
    void matchesReferenceOnRandomIds() throws IOException {
        try (Fixtures fixtures = Goldens.fixtures("clip_text");
             NDManager manager = NDManager.newBaseManager()) {
            ClipTextModel model = ClipTextModel.load(fixtures.dir(), manager);
            ClipTextOutput out = model.forward(fixtures.get("random.input_ids"));
            report("random.last_hidden_state", assertClose(out.lastHiddenState(),
                    fixtures.get("random.last_hidden_state"), ATOL, "random last_hidden_state"));
            report("random.pooler_output", assertClose(out.poolerOutput(), fixtures.get("random.pooler_output"),
                    ATOL, "random pooler_output"));
        }
    }

    @Test
    void forwardLeavesNothingInTheModelManager() throws IOException {
        try (Fixtures fixtures = Goldens.fixtures("clip_text");
             NDManager manager = NDManager.newBaseManager();
             NDManager step = NDManager.newBaseManager()) {
            ClipTextModel model = ClipTextModel.load(fixtures.dir(), manager);
            int loaded = manager.getManagedArrays().size();
            ClipTextOutput out = model.forward(fixtures.get("input.input_ids", step));
            assertThat(manager.getManagedArrays()).hasSize(loaded);
            assertThat(out.lastHiddenState().getManager()).isSameAs(step);
            assertThat(out.hiddenStates()).allSatisfy(h -> assertThat(h.getManager()).isSameAs(step));
        }
    }

    /** With a non-legacy eos_token_id the pooled position is the first end token (0 when there is none). */
    @Test
    void poolsAtTheFirstEndTokenWhenEosIdIsNotTheLegacyOne(@TempDir Path dir) throws IOException {
        try (Fixtures fixtures = Goldens.fixtures("clip_text");
             NDManager manager = NDManager.newBaseManager()) {
            NDArray ids = fixtures.get("random.input_ids");
            long[] flat = ids.toLongArray();
            int length = (int) ids.getShape().get(1);
            long eos = flat[length / 2];
            copyModel(fixtures.dir(), dir, "\"eos_token_id\"\\s*:\\s*\\d+", "\"eos_token_id\": " + eos);
            ClipTextOutput out = ClipTextModel.load(dir, manager).forward(ids);
            for (int row = 0; row < ids.getShape().get(0); row++) {
                int first = 0;
                for (int i = length - 1; i >= 0; i--) {
                    first = flat[row * length + i] == eos ? i : first;
                }
                assertClose(out.poolerOutput().get(row), out.lastHiddenState().get(row).get(first), 0,
                        "pooled row " + row);
            }
        }
    }

    @Test
    void unusedWeightsFailNamingThem(@TempDir Path dir) throws IOException {
        Path source = Goldens.dir("clip_text");
        Files.copy(source.resolve("config.json"), dir.resolve("config.json"));
        try (NDManager manager = NDManager.newBaseManager();
             SafeTensorsFile original = SafeTensorsFile.open(source.resolve("model.safetensors"))) {
            SafeTensorsWriter writer = new SafeTensorsWriter();
            for (String name : original.names()) {
                writer.add(name, original.load(name, manager));
            }
            writer.add("text_model.embeddings.position_ids", manager.arange(0, 77, 1, DataType.INT64).reshape(1, 77));
            writer.add("text_model.extra.weight", manager.ones(new Shape(2)));
            writer.write(dir.resolve("model.safetensors"));
            assertThatThrownBy(() -> ClipTextModel.load(dir, manager))
                    .hasMessageContaining("text_model.extra.weight")
                    .message().doesNotContain("position_ids");
        }
    }

    @Test
    void unknownHiddenActFailsNamingIt(@TempDir Path dir) throws IOException {
        copyModel(Goldens.dir("clip_text"), dir, "\"hidden_act\"\\s*:\\s*\"[^\"]*\"",
                "\"hidden_act\": \"relu_squared\"");
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> ClipTextModel.load(dir, manager))
                    .hasMessageContaining("hidden_act")
                    .hasMessageContaining("'relu_squared'");
        }
    }

    /** Copies a model folder, rewriting one config.json entry. */
    private static void copyModel(Path source, Path target, String configRegex, String replacement)
            throws IOException {
        String config = Files.readString(source.resolve("config.json")).replaceAll(configRegex, replacement);
        Files.writeString(target.resolve("config.json"), config);
        Files.copy(source.resolve("model.safetensors"), target.resolve("model.safetensors"));
    }

    private static void report(String what, double maxDiff) {
        System.out.printf("clip_text parity %s max|diff| %.3g%n", what, maxDiff);
    }
}
