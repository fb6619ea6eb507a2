package dev.tuneforge.worker.engine.lora;

/** The three ways LoRA weights are named in a {@code .safetensors} file. */
public enum LoraFormat {
    /** peft: {@code unet.<module>.lora_A.weight} / {@code lora_B.weight}. */
    PEFT,
    /** diffusers' {@code pytorch_lora_weights.safetensors}: {@code unet.<module>.lora.down.weight} / {@code .up.weight}. */
    DIFFUSERS,
    /** kohya-ss (AUTOMATIC1111, ComfyUI): {@code lora_unet_<module_>.lora_down.weight} / {@code lora_up.weight} / {@code .alpha}. */
    KOHYA;

    /** The key of a module's down (A) matrix. */
    public String downKey(LoraComponent component, String module) {
        switch (this) {
            case PEFT:
                return component.prefix() + "." + module + ".lora_A.weight";
            case DIFFUSERS:
                return component.prefix() + "." + module + "." + component.diffusersLayer() + ".down.weight";
            default:
                return component.kohyaName(module) + ".lora_down.weight";
        }
    }

    /** The key of a module's up (B) matrix. */
    public String upKey(LoraComponent component, String module) {
        switch (this) {
            case PEFT:
                return component.prefix() + "." + module + ".lora_B.weight";
            case DIFFUSERS:
                return component.prefix() + "." + module + "." + component.diffusersLayer() + ".up.weight";
            default:
                return component.kohyaName(module) + ".lora_up.weight";
        }
    }

    /** Whether the naming stores alpha next to the matrices (only kohya's does). */
    public boolean storesAlpha() {
        return this == KOHYA;
    }

    /** The key of a module's alpha, {@code <kohya name>.alpha}. */
    public String alphaKey(LoraComponent component, String module) {
        if (!storesAlpha()) {
            throw new IllegalStateException(this + " files store no alpha");
        }
        return component.kohyaName(module) + ".alpha";
    }
}
