package dev.tuneforge.worker.engine.schedulers;

/** What the denoising network predicts, as diffusers' {@code prediction_type}. */
public enum PredictionType implements ConfigChoice {
    EPSILON("epsilon"),
    V_PREDICTION("v_prediction"),
    SAMPLE("sample");

    private final String configName;

    PredictionType(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
