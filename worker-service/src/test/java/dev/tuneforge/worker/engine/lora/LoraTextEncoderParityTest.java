package dev.tuneforge.worker.engine.lora;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Goldens;
import dev.tuneforge.worker.engine.testing.Tensors;
import dev.tuneforge.worker.engine.text.ClipTextModel;
import dev.tuneforge.worker.engine.text.ClipTextOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA on the CLIP text encoder against {@code lora_text_encoder/}. */
class LoraTextEncoderParityTest {

    private static final double ATOL = 1e-5;

    private static NDManager manager;
    private static Fixtures fixtures;
    private static LoraGoldens goldens;
    private static ClipTextModel textEncoder;

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager();
        fixtures = Goldens.fixtures("lora_text_encoder");
        goldens = new LoraGoldens(fixtures, LoraComponent.TEXT_ENCODER);
        textEncoder = ClipTextModel.load(Goldens.dir("clip_text"), manager);
    }

    @AfterAll
    static void close() throws IOException {
        fixtures.close();
        manager.close();
    }

    @Test
    void outputsWithoutWithScaledAndMergedMatchPeft() {
        try (NDManager step = manager.newSubManager()) {
            check(forward(step), "base", true);
            try (LoraNetwork lora = LoraNetwork.of(textEncoder.linears(), goldens.weights(step), 0)) {
                assertThat(lora.layers().keySet()).containsExactlyInAnyOrderElementsOf(goldens.modules());
                ClipTextOutput withLora = forward(step);
                check(withLora, "lora", true);
                check(withLora, "plain_torch", false);
                lora.setScale(0.5);
                check(forward(step), "lora_scale0.5", true);
                lora.setScale(1);
                lora.merge();
                check(forward(step), "merged", false);
            }
            check(forward(step), "base", true);
        }
    }

    @Test
    void referenceFilesLoadInEveryNamingAndReproduceTheOutput() throws IOException {
        try (NDManager step = manager.newSubManager()) {
            goldens.assertReferenceFilesLoad(textEncoder.linears().keySet(), step);
            for (LoraFormat format : LoraFormat.values()) {
                Map<String, LoraModuleWeights> loaded = LoraFiles.load(goldens.file(format),
                        Map.of(LoraComponent.TEXT_ENCODER, textEncoder.linears().keySet()), step)
                        .get(LoraComponent.TEXT_ENCODER);
                try (LoraNetwork lora = LoraNetwork.of(textEncoder.linears(), loaded, 0)) {
                    check(forward(step), "lora", true);
                }
            }
        }
    }

    @Test
    void savesInEveryNamingHaveTheReferenceKeysAndValues(@TempDir Path dir) throws IOException {
        try (NDManager step = manager.newSubManager()) {
            goldens.assertSavesMatchReference(dir, step);
        }
    }

    @Test
    void peftKeysWithoutThePrefixLoad(@TempDir Path dir) throws IOException {
        try (NDManager step = manager.newSubManager()) {
            Path file = goldens.unprefixedPeftFile(dir, step);
            assertThat(LoraFiles.load(file, Map.of(LoraComponent.TEXT_ENCODER, textEncoder.linears().keySet()), step)
                    .get(LoraComponent.TEXT_ENCODER).keySet()).containsExactlyInAnyOrderElementsOf(goldens.modules());
        }
    }

    private static ClipTextOutput forward(NDManager step) {
        return textEncoder.forward(goldens.get("input.input_ids", step));
    }

    private static void check(ClipTextOutput output, String variant, boolean pooled) {
        String hidden = "output.last_hidden_state_" + variant;
        double diff = Tensors.assertClose(output.lastHiddenState(), fixtures.get(hidden), ATOL, hidden);
        System.out.printf("lora_text_encoder %s max |diff| %.3g%n", hidden, diff);
        if (pooled) {
            String pooler = "output.pooler_output_" + variant;
            Tensors.assertClose(output.poolerOutput(), fixtures.get(pooler), ATOL, pooler);
        }
    }
}
