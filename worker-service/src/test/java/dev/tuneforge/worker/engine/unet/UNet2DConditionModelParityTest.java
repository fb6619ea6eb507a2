package dev.tuneforge.worker.engine.unet;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Goldens;
import dev.tuneforge.worker.engine.testing.Tensors;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parity with diffusers' UNet2DConditionModel on the {@code unet/} goldens: the model folder is
 * loaded as a real one, so everything about the architecture comes from its config.json.
 */
class UNet2DConditionModelParityTest {

    private static final double ATOL = 1e-4;
    private static final String INTERMEDIATE = "intermediate.";

    private static NDManager manager;
    private static Fixtures fixtures;
    private static UNet2DConditionModel unet;

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager();
        fixtures = Goldens.fixtures("unet");
        unet = UNet2DConditionModel.load(fixtures.dir(), manager);
    }

    @AfterAll
    static void close() throws IOException {
        fixtures.close();
        manager.close();
    }

    @Test
    void outputMatchesReference() {
        try (NDManager step = manager.newSubManager()) {
            NDArray out = unet.forward(input("input.sample", step), input("input.timesteps", step),
                    input("input.encoder_hidden_states", step));
            double diff = Tensors.assertClose(out, fixtures.get("output.sample"), ATOL, "output.sample");
            System.out.printf("unet output.sample max |diff| %.3g%n", diff);
        }
    }

    @Test
    void everyIntermediateMatchesReference() {
        Set<String> expected = fixtures.names(INTERMEDIATE);
        assertThat(expected).isNotEmpty();
        try (NDManager step = manager.newSubManager()) {
            Map<String, NDArray> captured = new LinkedHashMap<>();
            unet.forward(input("input.sample", step), input("input.timesteps", step),
                    input("input.encoder_hidden_states", step), captured);
            for (String name : expected) {
                String stage = name.substring(INTERMEDIATE.length());
                assertThat(captured).as("captured stages").containsKey(stage);
                double diff = Tensors.assertClose(captured.get(stage), fixtures.get(name), ATOL, name);
                System.out.printf("unet %s max |diff| %.3g%n", name, diff);
            }
        }
    }

    @Test
    void scalarTimestepIsBroadcastOverTheBatch() {
        Assumptions.assumeTrue(fixtures.has("input.timestep_scalar"), "no scalar-timestep fixture");
        try (NDManager step = manager.newSubManager()) {
            NDArray timestep = input("input.timestep_scalar", step);
            assertThat(timestep.getShape().dimension()).isZero();
            NDArray out = unet.forward(input("input.sample", step), timestep, input("input.encoder_hidden_states", step));
            Tensors.assertClose(out, fixtures.get("output.sample_timestep_scalar"), ATOL, "output.sample_timestep_scalar");
        }
    }

    @Test
    void slicedAttentionGivesTheSameOutput() {
        AttentionSlicing slicing = unet.attentionSlicing();
        long before = slicing.maxScoreElements();
        try (NDManager step = manager.newSubManager()) {
            // Small enough to slice every call over batch·heads rows, and the larger ones also over queries.
            slicing.setMaxScoreElements(20_000);
            NDArray out = unet.forward(input("input.sample", step), input("input.timesteps", step),
                    input("input.encoder_hidden_states", step));
            Tensors.assertClose(out, fixtures.get("output.sample"), ATOL, "output.sample with sliced attention");
        } finally {
            slicing.setMaxScoreElements(before);
        }
    }

    @Test
    void forwardLeavesOnlyItsOutputInTheCallersManager() {
        try (NDManager step = manager.newSubManager()) {
            NDArray sample = input("input.sample", step);
            NDArray timesteps = input("input.timesteps", step);
            NDArray context = input("input.encoder_hidden_states", step);
            int before = step.getManagedArrays().size();
            NDArray out = unet.forward(sample, timesteps, context);
            assertThat(out.getManager()).isSameAs(step);
            assertThat(sample.getManager()).isSameAs(step);
            assertThat(step.getManagedArrays()).hasSize(before + 1);
        }
    }

    @Test
    void attentionProjectionsAreExposedByStateDictName() throws IOException {
        Set<String> keys = stateDictKeys();
        Map<String, dev.tuneforge.worker.engine.nn.Linear> linears = unet.linears();
        for (String name : linears.keySet()) {
            assertThat(keys).as("state-dict keys").contains(name + ".weight");
        }
        long attentionKeys = keys.stream().filter(k -> k.matches(".*\\.attn[12]\\.(to_q|to_k|to_v|to_out\\.0)\\.weight"))
                .count();
        assertThat(attentionKeys).isPositive();
        assertThat(linears.keySet().stream().filter(n -> n.matches(".*\\.attn[12]\\.(to_q|to_k|to_v|to_out\\.0)")))
                .hasSize((int) attentionKeys);
    }

    private static Set<String> stateDictKeys() throws IOException {
        Map<?, ?> keys = new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(fixtures.dir().resolve("state_dict_keys.json").toFile(), Map.class);
        Set<String> names = new java.util.TreeSet<>();
        keys.keySet().forEach(k -> names.add((String) k));
        return names;
    }

    private static NDArray input(String name, NDManager target) {
        return fixtures.get(name, target);
    }
}
