package dev.tuneforge.worker.engine.lora;

import java.util.List;

/**
 * What a LoRA adapter looks like: rank, alpha (the adapter's output is scaled by alpha/rank),
 * dropout on its input while training, initialisation, and the linear layers it wraps, named as
 * peft's {@code target_modules}: a layer is targeted when its state-dict name equals a target or
 * ends with {@code "." + target}.
 */
public record LoraConfig(int rank, double alpha, double dropout, LoraInit init, List<String> targetModules) {

    /** diffusers' training scripts: the UNet's attention projections. */
    public static final List<String> UNET_TARGETS = List.of("to_q", "to_k", "to_v", "to_out.0");
    /** diffusers' training scripts: the CLIP text encoder's attention projections. */
    public static final List<String> TEXT_ENCODER_TARGETS = List.of("q_proj", "k_proj", "v_proj", "out_proj");

    public LoraConfig {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be >= 1, got " + rank);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("LoRA alpha must be a positive number, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        if (init == null) {
            throw new IllegalArgumentException("LoRA init is required");
        }
        if (targetModules == null || targetModules.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one target module");
        }
        targetModules = List.copyOf(targetModules);
    }

    /** The scale of the adapter's output, alpha / rank. */
    public double scaling() {
        return alpha / rank;
    }

    /** Whether the layer with state-dict name {@code moduleName} gets an adapter. */
    public boolean targets(String moduleName) {
        for (String target : targetModules) {
            if (moduleName.equals(target) || moduleName.endsWith("." + target)) {
                return true;
            }
        }
        return false;
    }

    public LoraConfig withTargets(List<String> targets) {
        return new LoraConfig(rank, alpha, dropout, init, targets);
    }
}
