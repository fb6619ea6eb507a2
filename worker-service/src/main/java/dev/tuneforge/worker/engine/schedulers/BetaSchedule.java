package dev.tuneforge.worker.engine.schedulers;

/** How the training betas are laid out, as diffusers' {@code beta_schedule}. */
enum BetaSchedule implements ConfigChoice {
    LINEAR("linear"),
    SCALED_LINEAR("scaled_linear"),
    SQUAREDCOS_CAP_V2("squaredcos_cap_v2");

    private final String configName;

    BetaSchedule(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
