package dev.tuneforge.common.jobs;

import java.util.List;

/** Training and sampling defaults of DESIGN §3 (the reference homework's settings). */
final class Defaults {
    static final String METHOD = "lora";
    static final int STEPS = 200;
    static final int BATCH_SIZE = 2;
    static final int RESOLUTION = 512;
    static final double LEARNING_RATE = 1e-4;
    static final String LR_SCHEDULER = "cosine_with_restarts";
    static final int LR_CYCLES = 3;
    static final double LR_POWER = 1.0;
    static final int LR_WARMUP_STEPS = 100;
    static final int GRADIENT_ACCUMULATION = 1;
    static final double MAX_GRAD_NORM = 1.0;
    static final double SNR_GAMMA = 5.0;
    static final long SEED = 1126;
    static final int CHECKPOINT_EVERY = 50;

    static final int LORA_RANK = 32;
    static final double LORA_ALPHA = 16;
    static final double LORA_DROPOUT = 0.0;
    static final List<String> UNET_TARGETS = List.of("to_q", "to_k", "to_v", "to_out.0");
    static final List<String> TEXT_ENCODER_TARGETS = List.of("q_proj", "k_proj", "v_proj", "out_proj");

    static final int SAMPLING_STEPS = 30;
    static final double GUIDANCE = 7.5;
    static final int IMAGE_SIZE = 512;
    static final int IMAGES_PER_PROMPT = 1;

    static final int CLASS_IMAGES = 100;
    static final double PRIOR_LOSS_WEIGHT = 1.0;

    private Defaults() {
    }

    static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
