package dev.tuneforge.worker.engine.lora;

/**
 * The model a LoRA module belongs to, with the key prefixes each naming gives it: diffusers and
 * peft files prefix the module path with {@code unet.} / {@code text_encoder.}, kohya's
 * (AUTOMATIC1111, ComfyUI) flatten it under {@code lora_unet_} / {@code lora_te_}. diffusers names
 * the down/up pair differently per model: {@code lora.down} on the UNet, {@code lora_linear_layer.down}
 * on the text encoder.
 */
public enum LoraComponent {
    UNET("unet", "lora_unet_", "lora"),
    TEXT_ENCODER("text_encoder", "lora_te_", "lora_linear_layer");

    private final String prefix;
    private final String kohyaPrefix;
    private final String diffusersLayer;

    LoraComponent(String prefix, String kohyaPrefix, String diffusersLayer) {
        this.prefix = prefix;
        this.kohyaPrefix = kohyaPrefix;
        this.diffusersLayer = diffusersLayer;
    }

    /** {@code unet} or {@code text_encoder}: the first segment of diffusers and peft keys. */
    public String prefix() {
        return prefix;
    }

    /** {@code lora_unet_} or {@code lora_te_}. */
    public String kohyaPrefix() {
        return kohyaPrefix;
    }

    /** The sub-module diffusers saves the pair under: {@code lora} or {@code lora_linear_layer}. */
    public String diffusersLayer() {
        return diffusersLayer;
    }

    /** The flattened kohya name of a module, e.g. {@code lora_unet_down_blocks_0_attentions_0_..._to_q}. */
    public String kohyaName(String module) {
        return kohyaPrefix + module.replace('.', '_');
    }
}
