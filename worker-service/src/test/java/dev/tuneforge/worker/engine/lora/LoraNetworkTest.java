package dev.tuneforge.worker.engine.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.nn.Linear;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Goldens;
import dev.tuneforge.worker.engine.testing.Tensors;
import dev.tuneforge.worker.engine.unet.UNet2DConditionModel;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Creating adapters: initialisation, targets, trainable parameters, dropout. */
class LoraNetworkTest {

    @Test
    void gaussianInitDrawsExactlyWhatPeftDrewForTheSameSeedAndModuleOrder() throws IOException {
        try (NDManager manager = NDManager.newBaseManager(); Fixtures fixtures = Goldens.fixtures("train_step")) {
            UNet2DConditionModel unet = UNet2DConditionModel.load(Goldens.dir("unet"), manager);
            List<String> modules = fixtures.names("lora.").stream().filter(n -> n.endsWith(".A.init"))
                    .map(n -> n.substring("lora.".length(), n.length() - ".A.init".length())).toList();
            // peft visits modules in the order fixtures.json lists them (torch's named_modules order).
            List<String> order = fixtures.json().path("tensors").propertyStream().map(Map.Entry::getKey)
                    .filter(n -> n.startsWith("lora.") && n.endsWith(".A.init"))
                    .map(n -> n.substring("lora.".length(), n.length() - ".A.init".length())).toList();
            assertThat(order).containsExactlyInAnyOrderElementsOf(modules);
            Map<String, Linear> inPeftOrder = new LinkedHashMap<>();
            order.forEach(m -> inPeftOrder.put(m, unet.linears().get(m)));
            int rank = (int) fixtures.get("lora." + order.get(0) + ".A.init").getShape().get(0);
            long seed = fixtures.description().path("seeds").path("lora_A_init").asLong();
            LoraConfig config = new LoraConfig(rank, rank, 0, LoraInit.GAUSSIAN, LoraConfig.UNET_TARGETS);
            try (LoraNetwork lora = LoraNetwork.create(inPeftOrder, config, seed)) {
                assertThat(lora.layers().keySet()).containsExactlyElementsOf(order);
                for (String module : order) {
                    LoraLayer layer = lora.layers().get(module);
                    Tensors.assertClose(layer.down(), fixtures.get("lora." + module + ".A.init"), 0, module + " A");
                    assertThat(layer.up().abs().max().getFloat()).as(module + " B").isZero();
                }
            }
        }
    }

    @Test
    void kaimingInitStaysWithinItsBoundAndTheSameSeedGivesTheSameValues() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Linear> linears = linears(manager);
            LoraConfig config = new LoraConfig(2, 4, 0, LoraInit.KAIMING_UNIFORM, List.of("to_q", "to_v"));
            float[] first;
            try (LoraNetwork lora = LoraNetwork.create(linears, config, 7)) {
                assertThat(lora.layers().keySet()).containsExactly("block.attn.to_q", "block.attn.to_v");
                NDArray down = lora.layers().get("block.attn.to_q").down();
                assertThat(down.getShape()).isEqualTo(new Shape(2, 16));
                assertThat(down.abs().max().getFloat()).isLessThanOrEqualTo((float) (1 / Math.sqrt(16)));
                assertThat(lora.layers().get("block.attn.to_q").scaling()).isEqualTo(2.0);
                first = down.toFloatArray();
            }
            try (LoraNetwork again = LoraNetwork.create(linears, config, 7)) {
                assertThat(again.layers().get("block.attn.to_q").down().toFloatArray()).containsExactly(first);
            }
        }
    }

    @Test
    void onlyTheAdaptersAreTrainableAndANewAdapterLeavesTheOutputUnchanged() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Linear> linears = linears(manager);
            NDArray x = manager.randomNormal(new Shape(3, 5, 16));
            NDArray before = linears.get("block.attn.to_q").forward(x);
            try (LoraNetwork lora = LoraNetwork.create(linears, config(0), 1)) {
                lora.setTrainable(true);
                assertThat(lora.parameters()).hasSize(2 * lora.layers().size()).allMatch(NDArray::hasGradient);
                assertThat(lora.parameterNames()).first().isEqualTo("block.attn.to_q.lora_A.weight");
                assertThat(linears.values()).noneMatch(l -> l.weight().hasGradient());
                Tensors.assertClose(linears.get("block.attn.to_q").forward(x), before, 0, "output with B = 0");
                lora.setTrainable(false);
                assertThat(lora.parameters()).noneMatch(NDArray::hasGradient);
            }
        }
    }

    @Test
    void dropoutActsOnlyWhileTraining() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Linear> linears = linears(manager);
            Linear q = linears.get("block.attn.to_q");
            NDArray x = manager.randomNormal(new Shape(4, 8, 16));
            try (LoraNetwork lora = LoraNetwork.create(linears, config(0.5), 1)) {
                lora.layers().values().forEach(l -> l.up().addi(0.5f));
                NDArray inference = q.forward(x);
                Tensors.assertClose(q.forward(x), inference, 0, "inference is deterministic");
                lora.setTraining(true);
                assertThat(q.forward(x).sub(inference).abs().max().getFloat()).isGreaterThan(0f);
                lora.setTraining(false);
                Tensors.assertClose(q.forward(x), inference, 0, "dropout off again");
            }
        }
    }

    @Test
    void invalidConfigsAreRejected() {
        assertThatThrownBy(() -> config(1.0)).hasMessageContaining("dropout");
        assertThatThrownBy(() -> new LoraConfig(0, 1, 0, LoraInit.GAUSSIAN, List.of("q"))).hasMessageContaining("rank");
        assertThatThrownBy(() -> new LoraConfig(4, -1, 0, LoraInit.GAUSSIAN, List.of("q"))).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new LoraConfig(4, 4, 0, LoraInit.GAUSSIAN, List.of())).hasMessageContaining("target");
        LoraConfig c = config(0);
        assertThat(c.targets("a.to_out.0")).isTrue();
        assertThat(c.targets("a.to_out.01")).isFalse();
        assertThat(c.targets("a.xto_q")).isFalse();
    }

    private static LoraConfig config(double dropout) {
        return new LoraConfig(4, 4, dropout, LoraInit.GAUSSIAN, LoraConfig.UNET_TARGETS);
    }

    private static Map<String, Linear> linears(NDManager manager) {
        Map<String, Linear> linears = new LinkedHashMap<>();
        for (String name : List.of("block.attn.to_q", "block.attn.to_k", "block.attn.to_v", "block.ff.proj")) {
            Linear linear = new Linear(name, manager.randomNormal(new Shape(12, 16)), manager.zeros(new Shape(12)));
            linears.put(name, linear);
        }
        return linears;
    }
}
