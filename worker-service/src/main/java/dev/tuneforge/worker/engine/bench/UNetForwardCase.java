package dev.tuneforge.worker.engine.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.tuneforge.worker.engine.unet.UNet2DConditionModel;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code unet-fwd}: one forward, without gradients, of the UNet a config describes (SD 1.5's),
 * random weights from seed 0, batch 1, latents 1×4×32×32, timestep 500, text states 1×77×768
 * (channel and text sizes come from the config).
 */
final class UNetForwardCase implements BenchCase {

    private static final long SEED = 0;
    private static final int LATENT_SIDE = 32;
    private static final int TEXT_TOKENS = 77;
    private static final float TIMESTEP = 500f;

    private final NDManager manager;
    private final UNet2DConditionModel unet;
    private final NDArray sample;
    private final NDArray timestep;
    private final NDArray context;

    UNetForwardCase(Path unetConfig) throws IOException {
        ModelConfig config = ModelConfig.read(unetConfig);
        manager = NDManager.newBaseManager();
        unet = UNet2DConditionModel.randomInit(config, manager, SEED);
        JniUtils.setSeed(SEED);
        sample = manager.randomNormal(new Shape(1, unet.config().inChannels(), LATENT_SIDE, LATENT_SIDE));
        timestep = manager.create(TIMESTEP);
        context = manager.randomNormal(new Shape(1, TEXT_TOKENS, unet.config().crossAttentionDim().get(0)));
    }

    @Override
    public void run() {
        unet.forward(sample, timestep, context).close();
    }

    @Override
    public void close() {
        manager.close();
    }
}
