package dev.tuneforge.worker.engine.training;

import java.util.Locale;

/** What is trained: a LoRA on captioned images, or DreamBooth (instance prompt, optional prior preservation). */
public enum TrainingMethod {
    LORA, DREAMBOOTH;

    public static TrainingMethod parse(String name) {
        for (TrainingMethod method : values()) {
            if (method.name().equalsIgnoreCase(name)) {
                return method;
            }
        }
        throw new IllegalArgumentException("unknown training method '" + name + "'; valid: lora, dreambooth");
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
