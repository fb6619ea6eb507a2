package dev.tuneforge.worker.engine.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tuneforge.worker.engine.nn.Linear;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Goldens;
import dev.tuneforge.worker.engine.testing.Tensors;
import dev.tuneforge.worker.engine.unet.UNet2DConditionModel;
import dev.tuneforge.worker.engine.weights.SafeTensorsFile;
import dev.tuneforge.worker.engine.weights.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA on the UNet against {@code lora_unet/}: outputs with, without, scaled and merged; the three file namings. */
class LoraUNetParityTest {

    private static final double ATOL = 1e-4;

    private static NDManager manager;
    private static Fixtures fixtures;
    private static LoraGoldens goldens;
    private static UNet2DConditionModel unet;

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager();
        fixtures = Goldens.fixtures("lora_unet");
        goldens = new LoraGoldens(fixtures, LoraComponent.UNET);
        unet = UNet2DConditionModel.load(Goldens.dir("unet"), manager);
    }

    @AfterAll
    static void close() throws IOException {
        fixtures.close();
        manager.close();
    }

    @Test
    void outputsWithoutWithScaledAndMergedMatchPeft() {
        try (NDManager step = manager.newSubManager()) {
            check(forward(step), "output.sample_base");
            try (LoraNetwork lora = LoraNetwork.of(unet.linears(), goldens.weights(step), 0)) {
                assertThat(lora.layers()).hasSize(goldens.modules().size());
                NDArray withLora = forward(step);
                check(withLora, "output.sample_lora");
                check(withLora, "output.sample_plain_torch");
                lora.setScale(0.5);
                check(forward(step), "output.sample_lora_scale0.5");
                lora.setScale(1);
                lora.merge();
                assertThatThrownBy(() -> lora.setScale(0.5)).hasMessageContaining("merged");
                check(forward(step), "output.sample_merged");
                lora.unmerge();
                check(forward(step), "output.sample_lora");
            }
            check(forward(step), "output.sample_base");
            assertThat(unet.linears().values()).allMatch(l -> l.adapter() == null);
        }
    }

    @Test
    void referenceFilesLoadInEveryNamingAndReproduceTheOutput() throws IOException {
        try (NDManager step = manager.newSubManager()) {
            goldens.assertReferenceFilesLoad(unet.linears().keySet(), step);
            for (LoraFormat format : LoraFormat.values()) {
                Map<String, LoraModuleWeights> loaded = LoraFiles.load(goldens.file(format),
                        Map.of(LoraComponent.UNET, unet.linears().keySet()), step).get(LoraComponent.UNET);
                try (LoraNetwork lora = LoraNetwork.of(unet.linears(), loaded, 0)) {
                    check(forward(step), "output.sample_lora");
                }
            }
        }
    }

    @Test
    void savesInEveryNamingHaveTheReferenceKeysAndValues(@TempDir Path dir) throws IOException {
        try (NDManager step = manager.newSubManager()) {
            goldens.assertSavesMatchReference(dir, step);
            assertThat(goldens.kohyaAlphaDtype()).isEqualTo("torch.int64");
        }
    }

    @Test
    void peftKeysWithoutThePrefixLoad(@TempDir Path dir) throws IOException {
        try (NDManager step = manager.newSubManager()) {
            Path file = goldens.unprefixedPeftFile(dir, step);
            Map<String, LoraModuleWeights> loaded = LoraFiles.load(file, Map.of(LoraComponent.UNET, unet.linears().keySet()),
                    step).get(LoraComponent.UNET);
            assertThat(loaded.keySet()).containsExactlyInAnyOrderElementsOf(goldens.modules());
        }
    }

    @Test
    void alphaIsFoldedIntoDiffusersFilesAndKeptInKohyaFiles(@TempDir Path dir) throws IOException {
        try (NDManager step = manager.newSubManager()) {
            Map<String, LoraModuleWeights> weights = new java.util.LinkedHashMap<>();
            goldens.weights(step).forEach((m, w) -> weights.put(m, new LoraModuleWeights(w.down(), w.up(), w.rank() / 2.0)));
            NDArray expected;
            try (LoraNetwork lora = LoraNetwork.of(unet.linears(), weights, 0)) {
                expected = forward(step);
            }
            for (LoraFormat format : LoraFormat.values()) {
                Path file = dir.resolve(format + ".safetensors");
                LoraFiles.save(file, format, Map.of(LoraComponent.UNET, weights));
                Map<String, LoraModuleWeights> loaded = LoraFiles.load(file, Map.of(LoraComponent.UNET,
                        unet.linears().keySet()), step).get(LoraComponent.UNET);
                try (LoraNetwork lora = LoraNetwork.of(unet.linears(), loaded, 0)) {
                    Tensors.assertClose(forward(step), expected, 1e-5, format + " reload with alpha = rank / 2");
                }
            }
            try (SafeTensorsFile kohya = SafeTensorsFile.open(dir.resolve("KOHYA.safetensors"))) {
                String alphaKey = LoraFormat.KOHYA.alphaKey(LoraComponent.UNET, goldens.modules().get(0));
                assertThat(kohya.info(alphaKey).dtype().name()).isEqualTo("I64");
            }
        }
    }

    @Test
    void badFilesAndTargetsFailNamingWhatIsWrong(@TempDir Path dir) throws IOException {
        try (NDManager step = manager.newSubManager()) {
            String module = goldens.modules().get(0);
            Path stray = dir.resolve("stray.safetensors");
            new SafeTensorsWriter().add("unet.conv_in.lora_A.weight", step.zeros(new ai.djl.ndarray.types.Shape(4, 4)))
                    .write(stray);
            assertThatThrownBy(() -> LoraFiles.load(stray, Map.of(LoraComponent.UNET, unet.linears().keySet()), step))
                    .hasMessageContaining("unet.conv_in.lora_A.weight");
            Path halfPair = dir.resolve("half.safetensors");
            new SafeTensorsWriter().add(LoraFormat.DIFFUSERS.downKey(LoraComponent.UNET, module),
                    goldens.weights(step).get(module).down()).write(halfPair);
            assertThatThrownBy(() -> LoraFiles.load(halfPair, Map.of(LoraComponent.UNET, unet.linears().keySet()), step))
                    .hasMessageContaining(module).hasMessageContaining("only the down");
            LoraConfig nothing = new LoraConfig(4, 4, 0, LoraInit.GAUSSIAN, List.of("no_such_layer"));
            assertThatThrownBy(() -> LoraNetwork.create(unet.linears(), nothing, 0)).hasMessageContaining("no_such_layer");
            Map<String, Linear> linears = unet.linears();
            try (LoraNetwork first = LoraNetwork.of(linears, goldens.weights(step), 0)) {
                assertThatThrownBy(() -> LoraNetwork.of(linears, goldens.weights(step), 0))
                        .hasMessageContaining("already has an adapter");
            }
        }
    }

    private static NDArray forward(NDManager step) {
        return unet.forward(goldens.get("input.sample", step), goldens.get("input.timesteps", step),
                goldens.get("input.encoder_hidden_states", step));
    }

    private static void check(NDArray actual, String name) {
        double diff = Tensors.assertClose(actual, fixtures.get(name), ATOL, "lora_unet " + name);
        System.out.printf("lora_unet %s max |diff| %.3g%n", name, diff);
    }
}
