package dev.tuneforge.worker.engine.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.worker.engine.lora.LoraModuleWeights;
import dev.tuneforge.worker.engine.lora.LoraNetwork;
import dev.tuneforge.worker.engine.schedulers.Scheduler;
import dev.tuneforge.worker.engine.schedulers.SchedulerFactory;
import dev.tuneforge.worker.engine.testing.Fixtures;
import dev.tuneforge.worker.engine.testing.Goldens;
import dev.tuneforge.worker.engine.testing.Tensors;
import dev.tuneforge.worker.engine.unet.UNet2DConditionModel;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One LoRA training step of diffusers' train_text_to_image_lora.py against {@code train_step/}:
 * the loss, every gradient, the clipped gradients, AdamW's parameters and moments after 1 and 3
 * steps, for epsilon and v_prediction, and a clip that really scales ({@code clip_active.*}).
 */
class TrainStepParityTest {

    private static final Pattern LORA_ALPHA = Pattern.compile("lora_alpha=([0-9.]+)");
    /** The DDPM SD 1.5 schedule the fixtures were made with (the same file min_snr/ uses). */
    private static final String SCHEDULER_CONFIG = "min_snr";

    private static NDManager manager;
    private static Fixtures fixtures;
    private static UNet2DConditionModel unet;
    private static Scheduler scheduler;
    private static List<String> modules;
    private static double alpha;
    private static float gamma;
    private static AdamW.Hyperparameters hyper;
    private static double lr;

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager();
        fixtures = Goldens.fixtures("train_step");
        unet = UNet2DConditionModel.load(Goldens.dir("unet"), manager);
        scheduler = SchedulerFactory.fromConfig(Goldens.dir(SCHEDULER_CONFIG).resolve("scheduler_config.json"));
        modules = fixtures.names("lora.").stream().filter(n -> n.endsWith(".A.init"))
                .map(n -> n.substring("lora.".length(), n.length() - ".A.init".length())).toList();
        Matcher m = LORA_ALPHA.matcher(fixtures.description().path("lora").asText());
        assertThat(m.find()).as("lora_alpha in description.lora").isTrue();
        alpha = Double.parseDouble(m.group(1));
        gamma = fixtures.get("snr_gamma").getFloat();
        JsonNode optimizer = fixtures.description().path("optimizer");
        hyper = new AdamW.Hyperparameters(optimizer.path("betas").get(0).asDouble(),
                optimizer.path("betas").get(1).asDouble(), optimizer.path("eps").asDouble(),
                optimizer.path("weight_decay").asDouble());
        lr = fixtures.get("lr").getFloat();
    }

    @AfterAll
    static void close() throws IOException {
        scheduler.close();
        fixtures.close();
        manager.close();
    }

    @Test
    void epsilonStepsMatch() {
        run("epsilon", "");
    }

    @Test
    void vPredictionStepsMatch() {
        run("v_prediction", "v_prediction.");
    }

    @Test
    void anActiveClipScalesTheGradientsAsTorchDoes() {
        float maxNorm = fixtures.get("clip_active.max_norm").getFloat();
        DenoisingLoss loss = denoisingLoss("epsilon");
        try (LoraNetwork lora = initialLora(); AdamW adamW = optimizer(lora)) {
            backward(loss, lora);
            float norm = GradientClipping.clipGradNorm(lora.parameters(), maxNorm, manager);
            assertThat(norm).isGreaterThan(maxNorm);
            compareEach(lora, "clip_active.", "grad_clipped", true);
            adamW.step(1.0);
            compareEach(lora, "clip_active.", "after1", false);
        }
    }

    private void run(String predictionType, String prefix) {
        DenoisingLoss loss = denoisingLoss(predictionType);
        float maxNorm = fixtures.get("max_grad_norm").getFloat();
        float[] expectedLosses = fixtures.get("loss_steps." + predictionType).toFloatArray();
        float[] expectedNorms = fixtures.get(prefix + "grad_norm_steps").toFloatArray();
        try (LoraNetwork lora = initialLora(); AdamW adamW = optimizer(lora)) {
            for (int step = 0; step < expectedLosses.length; step++) {
                float value = backward(loss, lora);
                assertThat((double) value).as(predictionType + " loss at step " + (step + 1))
                        .isCloseTo(expectedLosses[step], org.assertj.core.data.Offset.offset(1e-6 * Math.abs(expectedLosses[step])));
                if (step == 0) {
                    compareEach(lora, prefix, "grad", true);
                }
                float norm = GradientClipping.clipGradNorm(lora.parameters(), maxNorm, manager);
                assertThat((double) norm).as(prefix + "grad_norm at step " + (step + 1))
                        .isCloseTo(expectedNorms[step], org.assertj.core.data.Offset.offset(1e-4 * expectedNorms[step]));
                if (step == 0) {
                    compareEach(lora, prefix, "grad_clipped", true);
                }
                adamW.step(1.0);
                Gradients.zero(lora.parameters());
                if (step == 0) {
                    compareEach(lora, prefix, "after1", false);
                }
            }
            compareEach(lora, prefix, "after3", false);
            compareMoments(adamW, lora, prefix);
            System.out.printf("train_step %s losses %s match%n", predictionType, java.util.Arrays.toString(expectedLosses));
        }
    }

    /** Forward and backward of the fixture batch; also checks the step-1 prediction on the first call. */
    private float backward(DenoisingLoss loss, LoraNetwork lora) {
        try (NDManager step = manager.newSubManager();
             GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            long[] timesteps = fixtures.get("input.timesteps").toLongArray();
            DenoisingLoss.Result result = loss.compute(fixtures.get("input.latents", step), fixtures.get("input.noise", step),
                    timesteps, fixtures.get("input.encoder_hidden_states", step), 0);
            if (Gradients.of(lora.parameters().get(0), step) == null) {
                Tensors.assertClose(result.prediction(), fixtures.get("model_pred"), 1e-4, "model_pred");
            }
            collector.backward(result.loss());
            return result.loss().getFloat();
        }
    }

    private void compareEach(LoraNetwork lora, String prefix, String what, boolean gradients) {
        double worst = 0;
        try (NDManager scratch = manager.newSubManager()) {
            for (String module : modules) {
                NDArray down = lora.layers().get(module).down();
                NDArray up = lora.layers().get(module).up();
                worst = Math.max(worst, compare(gradients ? Gradients.of(down, scratch) : down,
                        prefix + "lora." + module + ".A." + what));
                worst = Math.max(worst, compare(gradients ? Gradients.of(up, scratch) : up,
                        prefix + "lora." + module + ".B." + what));
            }
        }
        System.out.printf("train_step %s%s over %d modules: max |diff| %.3g%n", prefix, what, modules.size(), worst);
    }

    private void compareMoments(AdamW adamW, LoraNetwork lora, String prefix) {
        List<String> names = lora.parameterNames();
        for (int i = 0; i < names.size(); i++) {
            String module = names.get(i).substring(0, names.get(i).indexOf(".lora_"));
            String matrix = names.get(i).contains("lora_A") ? ".A." : ".B.";
            compare(adamW.expAvg(names.get(i)), prefix + "lora." + module + matrix + "exp_avg3");
            compare(adamW.expAvgSq(names.get(i)), prefix + "lora." + module + matrix + "exp_avg_sq3");
            assertThat(adamW.steps(names.get(i))).isEqualTo(3);
        }
    }

    /** Compares with a tolerance relative to the expected tensor's magnitude. */
    private static double compare(NDArray actual, String name) {
        NDArray expected = fixtures.get(name);
        double scale = expected.abs().max().getFloat();
        return Tensors.assertClose(actual, expected, 1e-3 * scale + 1e-9, name);
    }

    private DenoisingLoss denoisingLoss(String predictionType) {
        return new DenoisingLoss(unet, scheduler, new DiffusionObjective(scheduler, predictionType, gamma), 0);
    }

    private LoraNetwork initialLora() {
        Map<String, LoraModuleWeights> init = new LinkedHashMap<>();
        for (String module : modules) {
            init.put(module, new LoraModuleWeights(fixtures.get("lora." + module + ".A.init"),
                    fixtures.get("lora." + module + ".B.init"), alpha));
        }
        LoraNetwork lora = LoraNetwork.of(unet.linears(), init, 0);
        lora.setTrainable(true);
        lora.setTraining(true);
        return lora;
    }

    private AdamW optimizer(LoraNetwork lora) {
        return new AdamW(List.of(new AdamW.Group("unet", lora.parameterNames(), lora.parameters(), lr)), hyper);
    }
}
