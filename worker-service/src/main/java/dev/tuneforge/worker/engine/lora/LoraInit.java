package dev.tuneforge.worker.engine.lora;

/** How a new adapter's down (A) matrix starts; the up (B) matrix always starts at zero, so training starts from the base model. */
public enum LoraInit {
    /** peft's {@code init_lora_weights="gaussian"}, what diffusers' training scripts use: A ~ N(0, (1/rank)^2). */
    GAUSSIAN,
    /** peft's default ({@code init_lora_weights=True}): A ~ U(-1/sqrt(in), 1/sqrt(in)), i.e. Kaiming-uniform with a = sqrt(5). */
    KAIMING_UNIFORM
}
