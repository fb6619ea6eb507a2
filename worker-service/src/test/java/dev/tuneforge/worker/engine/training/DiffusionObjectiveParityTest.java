package dev.tuneforge.worker.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tuneforge.worker.engine.schedulers.Scheduler;
import dev.tuneforge.worker.engine.schedulers.SchedulerFactory;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Goldens;
import dev.tuneforge.worker.engine.testing.Tensors;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** compute_snr, the Min-SNR weights and the weighted loss against {@code min_snr/}. */
class DiffusionObjectiveParityTest {

    private static final List<String> PREDICTION_TYPES = List.of("epsilon", "v_prediction");

    private static Fixtures fixtures;
    private static Scheduler scheduler;
    private static float gamma;

    @BeforeAll
    static void load() throws IOException {
        fixtures = Goldens.fixtures("min_snr");
        scheduler = SchedulerFactory.fromConfig(fixtures.dir().resolve("scheduler_config.json"));
        gamma = fixtures.get("gamma").getFloat();
    }

    @AfterAll
    static void close() throws IOException {
        scheduler.close();
        fixtures.close();
    }

    @Test
    void snrMatchesComputeSnr() {
        NDManager m = fixtures.manager();
        long[] timesteps = fixtures.get("timesteps").toLongArray();
        float[] fromFixture = DiffusionObjective.snr(toDoubles(fixtures.get("alphas_cumprod").toFloatArray()), timesteps);
        float[] fromScheduler = DiffusionObjective.snr(scheduler.alphasCumprod(), timesteps);
        NDArray expected = fixtures.get("snr");
        report("snr", Tensors.assertClose(m.create(fromFixture), expected, relative(expected), "snr"));
        Tensors.assertClose(m.create(fromScheduler), expected, relative(expected), "snr from the scheduler's schedule");
    }

    @Test
    void minSnrWeightsMatchForBothPredictionTypes() {
        long[] timesteps = fixtures.get("timesteps").toLongArray();
        for (String type : PREDICTION_TYPES) {
            float[] weights = new DiffusionObjective(scheduler, type, gamma).weights(timesteps);
            String name = "weights." + type;
            report(name, Tensors.assertClose(fixtures.manager().create(weights), fixtures.get(name), 1e-6, name));
        }
    }

    @Test
    void targetsAndLossesMatchForBothPredictionTypes() {
        try (NDManager step = fixtures.manager().newSubManager()) {
            NDArray latents = fixtures.get("loss.latents", step);
            NDArray noise = fixtures.get("loss.noise", step);
            NDArray prediction = fixtures.get("loss.model_pred", step);
            long[] timesteps = fixtures.get("loss.timesteps").toLongArray();
            for (String type : PREDICTION_TYPES) {
                String p = "loss." + type + ".";
                DiffusionObjective objective = new DiffusionObjective(scheduler, type, gamma);
                NDArray target = objective.target(latents, noise, timesteps);
                Tensors.assertClose(target, fixtures.get(p + "target"), 1e-6, p + "target");
                Tensors.assertClose(step.create(objective.weights(timesteps)), fixtures.get(p + "weights"), 1e-6,
                        p + "weights");
                Tensors.assertClose(DiffusionObjective.perSampleMse(prediction, target), fixtures.get(p + "per_sample_mse"),
                        1e-6, p + "per_sample_mse");
                report(p + "loss", Tensors.assertClose(objective.loss(prediction, target, timesteps),
                        fixtures.get(p + "loss"), 1e-6, p + "loss"));
                NDArray unweighted = new DiffusionObjective(scheduler, type, null).loss(prediction, target, timesteps);
                Tensors.assertClose(unweighted, fixtures.get(p + "unweighted_loss"), 1e-6, p + "unweighted_loss");
            }
        }
    }

    @Test
    void predictionTypeDefaultsToTheSchedulersAndSampleIsRejected() {
        assertThat(new DiffusionObjective(scheduler, null, null).predictionType().configName())
                .isEqualTo(scheduler.predictionType());
        assertThatThrownBy(() -> new DiffusionObjective(scheduler, "sample", gamma)).hasMessageContaining("sample")
                .hasMessageContaining("v_prediction");
        assertThatThrownBy(() -> new DiffusionObjective(scheduler, null, 0f)).hasMessageContaining("gamma");
    }

    @Test
    void lossNamesMismatchedShapes() {
        try (NDManager step = fixtures.manager().newSubManager()) {
            NDArray a = step.zeros(new ai.djl.ndarray.types.Shape(2, 3));
            NDArray b = step.zeros(new ai.djl.ndarray.types.Shape(2, 4));
            assertThatThrownBy(() -> new DiffusionObjective(scheduler, null, gamma).loss(a, b, new long[] {1, 2}))
                    .hasMessageContaining("(2, 3)").hasMessageContaining("(2, 4)");
        }
    }

    private static double relative(NDArray expected) {
        return 1e-6 * Math.max(1, expected.abs().max().getFloat());
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static void report(String what, double diff) {
        System.out.printf("min_snr %s max |diff| %.3g%n", what, diff);
    }
}
