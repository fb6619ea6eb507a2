package dev.tuneforge.worker.handlers;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.tuneforge.worker.config.WorkerConfig.DeviceMode;
import java.util.concurrent.Semaphore;

/**
 * The device jobs run on ({@code tuneforge.worker.device}) and the training slot. One training at a
 * time per process whatever the device: DJL allows one gradient collector per process, and a GPU
 * holds one training's activations. Generate and evaluate jobs are not limited here.
 */
public final class Devices {
    private final Device device;
    private final Semaphore training = new Semaphore(1, true);

    public Devices(Device device) {
        this.device = device;
    }

    /** {@code auto}: the GPU when DJL's PyTorch engine sees one, else the CPU; {@code gpu} without one fails. */
    public static Devices of(DeviceMode mode) {
        int gpus = mode == DeviceMode.CPU ? 0 : Engine.getEngine("PyTorch").getGpuCount();
        if (mode == DeviceMode.GPU && gpus == 0) {
            throw new IllegalStateException("tuneforge.worker.device=gpu, but DJL's PyTorch engine sees no GPU"
                    + " (is the CUDA flavour of pytorch-native on the class path?)");
        }
        return new Devices(gpus > 0 ? Device.gpu() : Device.cpu());
    }

    public Device device() {
        return device;
    }

    /** Waits for the training slot; release it with {@link #releaseTraining()}. */
    public void acquireTraining() throws InterruptedException {
        training.acquire();
    }

    public void releaseTraining() {
        training.release();
    }
}
