package dev.tuneforge.common.jobs;

import java.util.List;

/**
 * LoRA adapter shape: rank, alpha (scale = alpha / rank), dropout and the projections it wraps in
 * the UNet and the text encoder. Nulls take the defaults of DESIGN §3.
 */
public record LoraSettings(Integer rank, Double alpha, Double dropout, List<String> unetTargets,
        List<String> textEncoderTargets) {
    public LoraSettings {
        rank = Defaults.or(rank, Defaults.LORA_RANK);
        alpha = Defaults.or(alpha, Defaults.LORA_ALPHA);
        dropout = Defaults.or(dropout, Defaults.LORA_DROPOUT);
        unetTargets = List.copyOf(Defaults.or(unetTargets, Defaults.UNET_TARGETS));
        textEncoderTargets = List.copyOf(Defaults.or(textEncoderTargets, Defaults.TEXT_ENCODER_TARGETS));
    }

    public static LoraSettings defaults() {
        return new LoraSettings(null, null, null, null, null);
    }
}
