package dev.tuneforge.common.jobs;

import java.util.List;

/** The closed sets of names a spec may use; the engine implements exactly these. */
public final class Vocabulary {
    public static final List<String> METHODS = List.of("lora", "dreambooth");
    /** Sampling schedulers by short name (the engine's scheduler factory accepts the same names). */
    public static final List<String> SCHEDULERS =
            List.of("ddpm", "ddim", "pndm", "euler", "euler-ancestral", "dpmpp-2m", "dpmpp-2m-karras");
    /** Learning-rate schedules of diffusers' {@code get_scheduler}. */
    public static final List<String> LR_SCHEDULERS = List.of("constant", "constant_with_warmup", "linear",
            "cosine", "cosine_with_restarts", "polynomial");

    private Vocabulary() {
    }
}
