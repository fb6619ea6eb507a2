package dev.tuneforge.worker.engine.schedulers;

import static dev.tuneforge.worker.engine.schedulers.SchedulerConfigs.fromSd15;
import static dev.tuneforge.worker.engine.testing.Tensors.assertClose;
import static dev.tuneforge.worker.engine.testing.Tensors.randn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Properties of the schedulers beyond the recorded reference runs. */
class SchedulerBehaviourTest {

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    /**
     * With a model output that never changes, every Runge-Kutta group and every multistep
     * combination reduces to that output, and PNDM's transfer is DDIM's step: both runs must end
     * on the same sample. This checks the warm-up bookkeeping (counter, midpoints, averaged output).
     */
    @Test
    void pndmWithRungeKuttaWarmUpEqualsDdimForAConstantModelOutput() {
        NDArray epsilon = randn(manager, 7, 1, 4, 8, 8);
        NDArray start = randn(manager, 8, 1, 4, 8, 8);
        NDArray ddim = run(fromSd15("DDIMScheduler", ""), 10, start, epsilon);
        NDArray rungeKutta = run(fromSd15("PNDMScheduler", "\"skip_prk_steps\": false"), 10, start, epsilon);
        NDArray skipped = run(fromSd15("PNDMScheduler", "\"skip_prk_steps\": true"), 10, start, epsilon);
        assertClose(rungeKutta, ddim, 1e-4, "PNDM with Runge-Kutta warm-up vs DDIM");
        assertClose(skipped, ddim, 1e-4, "PNDM without warm-up vs DDIM");
    }

    /**
     * A perfect model gives the same step whatever it predicts: noise, velocity
     * sqrt(acp) eps - sqrt(1 - acp) x0, or x0 itself. Checks every scheduler's v_prediction and
     * sample paths against its epsilon path on a sample noised to the first timestep.
     */
    @Test
    void velocityAndSamplePredictionsStepLikeTheEquivalentEpsilon() {
        NDArray clean = randn(manager, 11, 2, 4, 8, 8);
        NDArray epsilon = randn(manager, 12, 2, 4, 8, 8);
        List<String> classes = List.of("DDPMScheduler", "DDIMScheduler", "PNDMScheduler", "EulerDiscreteScheduler",
                "EulerAncestralDiscreteScheduler", "DPMSolverMultistepScheduler");
        for (String className : classes) {
            NDArray reference = firstStep(className, "epsilon", clean, epsilon);
            for (String prediction : List.of("v_prediction", "sample")) {
                boolean supported = !prediction.equals("sample")
                        || !(className.startsWith("PNDM") || className.startsWith("EulerAncestral"));
                if (supported) {
                    assertClose(firstStep(className, prediction, clean, epsilon), reference, 1e-4,
                            className + " " + prediction + " vs epsilon");
                }
            }
        }
    }

    private NDArray firstStep(String className, String prediction, NDArray clean, NDArray epsilon) {
        try (Scheduler scheduler = fromSd15(className, "\"prediction_type\": \"" + prediction + "\"")) {
            scheduler.setTimesteps(10);
            float t = scheduler.timesteps()[0];
            long[] trainingT = {(long) t};
            NDArray noisy = scheduler.addNoise(clean, epsilon, new float[] {t});
            NDArray output = prediction.equals("epsilon") ? epsilon
                    : prediction.equals("sample") ? clean
                    : scheduler.velocity(clean, epsilon, trainingT);
            NDArray input = scheduler.scaleModelInput(noisy, t);
            assertThat(input.getShape()).isEqualTo(noisy.getShape());
            return scheduler.step(output, t, noisy, NoiseSource.seeded(13)).prevSample();
        }
    }

    @Test
    void pndmRungeKuttaScheduleHasFourEvaluationsPerWarmUpStep() {
        try (Scheduler scheduler = fromSd15("PNDMScheduler", "\"skip_prk_steps\": false")) {
            scheduler.setTimesteps(10);
            // 3 warm-up steps x 4 evaluations, then the remaining 7 multistep steps.
            assertThat(scheduler.timesteps()).hasSize(12 + 7);
            assertThat(scheduler.timesteps()).startsWith(901f, 851f, 851f, 801f);
            assertThatThrownBy(() -> scheduler.setTimesteps(3)).hasMessageContaining("at least 4 steps");
        }
    }

    /** One instance runs several generations: set_timesteps (or reset) forgets the multistep history. */
    @Test
    void multistepSchedulersRepeatARunExactly() {
        NDArray start = randn(manager, 9, 2, 4, 8, 8);
        for (String className : List.of("PNDMScheduler", "DPMSolverMultistepScheduler")) {
            try (Scheduler scheduler = fromSd15(className, "")) {
                List<NDArray> first = trajectory(scheduler, start);
                List<NDArray> again = trajectory(scheduler, start);
                scheduler.setTimesteps(12);
                scheduler.step(varying(0), scheduler.timesteps()[0], start, NoiseSource.none());
                scheduler.reset();
                List<NDArray> afterReset = trajectoryWithoutSetTimesteps(scheduler, start);
                for (int i = 0; i < first.size(); i++) {
                    assertClose(again.get(i), first.get(i), 0, className + " second run, step " + i);
                    assertClose(afterReset.get(i), first.get(i), 0, className + " run after reset, step " + i);
                }
            }
        }
    }

    @Test
    void ancestralAndDdpmStepsDrawTheirNoiseFromTheSource() {
        NDArray sample = randn(manager, 1, 2, 4, 8, 8);
        for (String className : List.of("EulerAncestralDiscreteScheduler", "DDPMScheduler")) {
            try (Scheduler scheduler = fromSd15(className, "")) {
                scheduler.setTimesteps(5);
                float t = scheduler.timesteps()[0];
                NDArray a = scheduler.step(varying(1), t, sample, NoiseSource.seeded(5)).prevSample();
                scheduler.reset();
                NDArray b = scheduler.step(varying(1), t, sample, NoiseSource.seeded(5)).prevSample();
                scheduler.reset();
                NDArray c = scheduler.step(varying(1), t, sample, NoiseSource.seeded(6)).prevSample();
                assertClose(b, a, 0, className + " same seed");
                assertThat(c.sub(a).abs().max().getFloat()).as(className + " other seed").isGreaterThan(1e-3f);
                scheduler.reset();
                assertThatThrownBy(() -> scheduler.step(varying(1), t, sample, NoiseSource.none()))
                        .hasMessageContaining("needs variance noise of shape (2, 4, 8, 8)");
            }
        }
    }

    @Test
    void ddimEtaAddsNoiseScaledByEta() {
        NDArray sample = randn(manager, 2, 2, 4, 8, 8);
        try (DdimScheduler scheduler = (DdimScheduler) fromSd15("DDIMScheduler", "")) {
            scheduler.setTimesteps(10);
            float t = scheduler.timesteps()[2];
            NDArray deterministic = scheduler.step(varying(2), t, sample, NoiseSource.none()).prevSample();
            scheduler.setEta(1.0);
            NDArray zeroNoise = scheduler.step(varying(2), t, sample, (m, shape) -> m.zeros(shape)).prevSample();
            NDArray noisy = scheduler.step(varying(2), t, sample, NoiseSource.seeded(3)).prevSample();
            // eta shrinks the deterministic direction term and adds std * z.
            assertThat(zeroNoise.sub(deterministic).abs().max().getFloat()).isGreaterThan(0f);
            assertThat(noisy.sub(zeroNoise).abs().max().getFloat()).isGreaterThan(1e-3f);
            assertThatThrownBy(() -> scheduler.setEta(-0.1)).hasMessageContaining("eta must be >= 0");
        }
    }

    @Test
    void zeroTerminalSnrRescalesBetasAndKeepsSigmasFinite() {
        try (Scheduler ddim = fromSd15("DDIMScheduler", "\"rescale_betas_zero_snr\": true, \"timestep_spacing\": \"trailing\"");
             SigmaScheduler euler = (SigmaScheduler) fromSd15("EulerDiscreteScheduler",
                     "\"rescale_betas_zero_snr\": true, \"timestep_spacing\": \"trailing\"")) {
            double[] rescaled = ddim.alphasCumprod();
            double[] plain = fromSd15("DDIMScheduler", "").alphasCumprod();
            assertThat(rescaled[rescaled.length - 1]).isEqualTo(0.0);
            assertThat(rescaled[0]).isCloseTo(plain[0], within(1e-6));
            assertThat(euler.alphasCumprod()[999]).isEqualTo(Math.pow(2, -24));
            euler.setTimesteps(10);
            assertThat(euler.timesteps()[0]).isEqualTo(999f);
            assertThat(euler.sigmas()[0]).isCloseTo(4096.0, within(1.0));
        }
    }

    @Test
    void lambdaMinClippedCutsTheNoisiestTimesteps() {
        try (Scheduler clipped = fromSd15("DPMSolverMultistepScheduler", "\"lambda_min_clipped\": -2.5")) {
            clipped.setTimesteps(10);
            float first = clipped.timesteps()[0];
            double alphaProd = clipped.alphasCumprod()[(int) first];
            double lambda = 0.5 * Math.log(alphaProd / (1 - alphaProd));
            assertThat(first).isLessThan(999f);
            assertThat(lambda).isGreaterThanOrEqualTo(-2.5);
        }
    }

    @Test
    void timestepsMustBelongToTheSchedule() {
        NDArray sample = randn(manager, 3, 2, 4, 8, 8);
        try (Scheduler ddim = fromSd15("DDIMScheduler", "");
             Scheduler euler = fromSd15("EulerDiscreteScheduler", "")) {
            assertThatThrownBy(() -> ddim.step(varying(0), 500f, sample, NoiseSource.none()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("setTimesteps");
            ddim.setTimesteps(10);
            assertThatThrownBy(() -> ddim.step(varying(0), 500.5f, sample, NoiseSource.none()))
                    .hasMessageContaining("timestep 500.5 is not a training timestep");
            assertThatThrownBy(() -> ddim.setTimesteps(1001)).hasMessageContaining("[1, 1000], got 1001");
            euler.setTimesteps(10);
            assertThatThrownBy(() -> euler.addNoise(sample, sample, new float[] {500f}))
                    .hasMessageContaining("timestep 500.0 is not in the current schedule of 10 steps");
            assertThatThrownBy(() -> ddim.addNoise(sample, sample, new long[] {1, 2, 3}))
                    .hasMessageContaining("3 timesteps for a batch of shape (2, 4, 8, 8)");
        }
    }

    private NDArray run(Scheduler scheduler, int steps, NDArray start, NDArray modelOutput) {
        scheduler.setTimesteps(steps);
        NDArray sample = start;
        for (float t : scheduler.timesteps()) {
            sample = scheduler.step(modelOutput, t, scheduler.scaleModelInput(sample, t), NoiseSource.none()).prevSample();
        }
        scheduler.close();
        return sample;
    }

    private List<NDArray> trajectory(Scheduler scheduler, NDArray start) {
        scheduler.setTimesteps(12);
        return trajectoryWithoutSetTimesteps(scheduler, start);
    }

    private List<NDArray> trajectoryWithoutSetTimesteps(Scheduler scheduler, NDArray start) {
        List<NDArray> samples = new ArrayList<>();
        NDArray sample = start;
        float[] timesteps = scheduler.timesteps();
        for (int i = 0; i < timesteps.length; i++) {
            sample = scheduler.step(varying(i), timesteps[i], sample, NoiseSource.none()).prevSample();
            samples.add(sample);
        }
        return samples;
    }

    /** A model output that differs from step to step, so multistep history matters. */
    private NDArray varying(int step) {
        return randn(manager, 100 + step, 2, 4, 8, 8).mul(0.5f);
    }
}
