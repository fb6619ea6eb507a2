package dev.tuneforge.worker.engine.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.tuneforge.worker.engine.schedulers.NoiseSource;

/**
 * Standard normal noise from libtorch's CPU generator seeded once: the draws equal diffusers'
 * {@code randn_tensor(..., generator=torch.Generator().manual_seed(seed))} for the starting
 * latents and every later scheduler draw, so a seed gives the same image here and in diffusers.
 * The generator is process-global; callers hold the pipeline's generation lock while drawing.
 */
final class TorchNoise implements NoiseSource {

    TorchNoise(long seed) {
        JniUtils.setSeed(seed); // torch::manual_seed takes all 64 bits; DJL's Engine.setRandomSeed only an int
    }

    @Override
    public NDArray next(NDManager manager, Shape shape) {
        try (NDManager cpu = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray drawn = cpu.randomNormal(shape).toDevice(manager.getDevice(), true);
            drawn.attach(manager);
            return drawn;
        }
    }
}
