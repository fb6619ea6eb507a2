package dev.tuneforge.worker.engine.training;

/**
 * The file names a LoRA training writes, for callers that move them around (the worker uploads and
 * fetches them): a checkpoint's adapters as trained, and the final folder's two namings.
 */
public final class LoraFileNames {

    /** A checkpoint's adapters as trained, kohya naming with alpha (what a resume loads). */
    public static final String CHECKPOINT = "lora.safetensors";
    /** The final LoRA in the diffusers/peft naming ({@code load_lora_weights}). */
    public static final String DIFFUSERS = "pytorch_lora_weights.safetensors";
    /** The final LoRA in the kohya naming AUTOMATIC1111 and ComfyUI load. */
    public static final String KOHYA = "lora_kohya.safetensors";

    private LoraFileNames() {
    }
}
