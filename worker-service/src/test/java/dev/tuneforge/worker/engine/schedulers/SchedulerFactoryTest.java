package dev.tuneforge.worker.engine.schedulers;

import static dev.tuneforge.worker.engine.schedulers.SchedulerConfigs.fromSd15;
import static dev.tuneforge.worker.engine.schedulers.SchedulerConfigs.sd15;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerFactoryTest {

    @Test
    void everyShortNameBuildsItsClassOnAnotherClassesConfig() {
        Map<String, Class<?>> expected = Map.of(
                "ddpm", DdpmScheduler.class,
                "ddim", DdimScheduler.class,
                "pndm", PndmScheduler.class,
                "euler", EulerDiscreteScheduler.class,
                "euler-ancestral", EulerAncestralScheduler.class,
                "dpmpp-2m", DpmSolverMultistepScheduler.class,
                "dpmpp-2m-karras", DpmSolverMultistepScheduler.class);
        assertThat(SchedulerFactory.names()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, Class<?>> entry : expected.entrySet()) {
            try (Scheduler scheduler = SchedulerFactory.create(entry.getKey(), sd15("PNDMScheduler", ""))) {
                assertThat(scheduler).as(entry.getKey()).isExactlyInstanceOf(entry.getValue());
                // The training schedule carries over from the base config.
                assertThat(scheduler.alphasCumprod()).as(entry.getKey())
                        .containsExactly(fromSd15("DDPMScheduler", "").alphasCumprod());
            }
        }
    }

    @Test
    void karrasNameSwitchesKarrasSigmasOnWhateverTheBaseSays() {
        try (SigmaScheduler byName = (SigmaScheduler) SchedulerFactory.create("dpmpp-2m-karras",
                     sd15("DPMSolverMultistepScheduler", "\"use_karras_sigmas\": false"));
             SigmaScheduler configured = (SigmaScheduler) fromSd15("DPMSolverMultistepScheduler",
                     "\"use_karras_sigmas\": true");
             SigmaScheduler plain = (SigmaScheduler) SchedulerFactory.create("dpmpp-2m",
                     sd15("DPMSolverMultistepScheduler", "\"use_karras_sigmas\": true"))) {
            byName.setTimesteps(20);
            configured.setTimesteps(20);
            plain.setTimesteps(20);
            assertThat(byName.sigmas()).containsExactly(configured.sigmas());
            assertThat(byName.timesteps()).containsExactly(configured.timesteps());
            assertThat(plain.sigmas()).isNotEqualTo(configured.sigmas());
        }
    }

    /** Keys the saving class filled with its own defaults are not choices: the new class uses its defaults. */
    @Test
    void keysSavedAsDefaultsTakeTheNewClassesDefaults() {
        String leading = "\"timestep_spacing\": \"leading\"";
        try (Scheduler chosen = SchedulerFactory.create("euler", sd15("PNDMScheduler", leading));
             Scheduler defaulted = SchedulerFactory.create("euler", sd15("PNDMScheduler",
                     leading + ", \"_use_default_values\": [\"timestep_spacing\"]"))) {
            chosen.setTimesteps(30);
            defaulted.setTimesteps(30);
            assertThat(chosen.timesteps()[0]).isEqualTo(958f); // leading with steps_offset 1
            assertThat(defaulted.timesteps()[0]).isEqualTo(999f); // Euler's default linspace
        }
    }

    @Test
    void unknownClassOrNameFailsListingTheValidOnes() {
        assertThatThrownBy(() -> fromSd15("LMSDiscreteScheduler", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'LMSDiscreteScheduler'")
                .hasMessageContaining("DPMSolverMultistepScheduler");
        assertThatThrownBy(() -> SchedulerFactory.create("dpm++", sd15("PNDMScheduler", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'dpm++'")
                .hasMessageContaining("dpmpp-2m-karras")
                .hasMessageContaining("euler-ancestral");
    }

    @Test
    void unknownOptionValuesFailNamingKeyValueAndValidValues() {
        assertThatThrownBy(() -> fromSd15("DDIMScheduler", "\"beta_schedule\": \"cosine\""))
                .hasMessageContaining("'beta_schedule' = 'cosine'")
                .hasMessageContaining("[linear, scaled_linear, squaredcos_cap_v2]")
                .hasMessageContaining("test config DDIMScheduler");
        assertThatThrownBy(() -> fromSd15("EulerDiscreteScheduler", "\"timestep_spacing\": \"even\""))
                .hasMessageContaining("'timestep_spacing' = 'even'")
                .hasMessageContaining("[linspace, leading, trailing]");
        assertThatThrownBy(() -> fromSd15("EulerAncestralDiscreteScheduler", "\"prediction_type\": \"sample\""))
                .hasMessageContaining("'prediction_type' = 'sample'")
                .hasMessageContaining("[epsilon, v_prediction]");
        assertThatThrownBy(() -> fromSd15("DDPMScheduler", "\"variance_type\": \"learned_range\""))
                .hasMessageContaining("'variance_type' = 'learned_range'");
    }

    @Test
    void optionsThisEngineDoesNotImplementFailInsteadOfBeingIgnored() {
        assertThatThrownBy(() -> fromSd15("DDIMScheduler", "\"thresholding\": true"))
                .hasMessageContaining("'thresholding' = true");
        assertThatThrownBy(() -> fromSd15("DPMSolverMultistepScheduler", "\"solver_order\": 3"))
                .hasMessageContaining("'solver_order' = 3")
                .hasMessageContaining("[1, 2]");
        assertThatThrownBy(() -> fromSd15("DPMSolverMultistepScheduler", "\"algorithm_type\": \"sde-dpmsolver++\""))
                .hasMessageContaining("'algorithm_type' = 'sde-dpmsolver++'");
        assertThatThrownBy(() -> fromSd15("DPMSolverMultistepScheduler", "\"solver_type\": \"heun\""))
                .hasMessageContaining("'solver_type' = 'heun'");
        assertThatThrownBy(() -> fromSd15("EulerDiscreteScheduler", "\"timestep_type\": \"continuous\""))
                .hasMessageContaining("'timestep_type' = 'continuous'");
    }

    @Test
    void trainedBetasMustCoverTheTrainingSteps() {
        assertThatThrownBy(() -> fromSd15("DDPMScheduler", "\"trained_betas\": [0.1, 0.2]"))
                .hasMessageContaining("'trained_betas' has 2 values, 'num_train_timesteps' is 1000");
    }

    @Test
    void nullOptionsCountAsAbsent() {
        try (Scheduler scheduler = fromSd15("DPMSolverMultistepScheduler",
                "\"trained_betas\": null, \"variance_type\": null, \"lambda_min_clipped\": -Infinity")) {
            scheduler.setTimesteps(10);
            assertThat(scheduler.timesteps()[0]).isEqualTo(999f);
        }
    }
}
