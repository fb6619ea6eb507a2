package dev.tuneforge.worker.engine.schedulers;

/** The sigma appended after the last step, as diffusers' {@code final_sigmas_type}. */
enum FinalSigmas implements ConfigChoice {
    ZERO("zero"),
    SIGMA_MIN("sigma_min");

    private final String configName;

    FinalSigmas(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    /** The last sigma: 0, or the training sigma at t = 0 in float32 as diffusers computes it. */
    double value(float[] trainingSigmas) {
        return this == ZERO ? 0.0 : trainingSigmas[0];
    }
}
