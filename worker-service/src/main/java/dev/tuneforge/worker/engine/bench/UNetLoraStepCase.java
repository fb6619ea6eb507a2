package dev.tuneforge.worker.engine.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.tuneforge.worker.engine.lora.LoraConfig;
import dev.tuneforge.worker.engine.lora.LoraInit;
import dev.tuneforge.worker.engine.lora.LoraNetwork;
import dev.tuneforge.worker.engine.training.AdamW;
import dev.tuneforge.worker.engine.training.Gradients;
import dev.tuneforge.worker.engine.unet.UNet2DConditionModel;
import dev.tuneforge.worker.engine.weights.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code unet-lora-step}: one LoRA training step on the UNet a config describes (SD 1.5's), random
 * weights from seed 0, LoRA rank 4 / alpha 4 on every {@code to_q}, {@code to_k}, {@code to_v},
 * {@code to_out.0} (base frozen): forward of the {@code unet-fwd} input, MSE against a fixed
 * target, backward, AdamW update of the adapters, gradients zeroed.
 */
final class UNetLoraStepCase implements BenchCase {

    private static final long SEED = 0;
    private static final int RANK = 4;
    private static final int LATENT_SIDE = 32;
    private static final int TEXT_TOKENS = 77;
    private static final float TIMESTEP = 500f;
    private static final double LR = 1e-4;

    private final NDManager manager;
    private final UNet2DConditionModel unet;
    private final LoraNetwork lora;
    private final AdamW optimizer;
    private final NDArray sample;
    private final NDArray timestep;
    private final NDArray context;
    private final NDArray target;

    UNetLoraStepCase(Path unetConfig) throws IOException {
        ModelConfig config = ModelConfig.read(unetConfig);
        manager = NDManager.newBaseManager();
        unet = UNet2DConditionModel.randomInit(config, manager, SEED);
        lora = LoraNetwork.create(unet.linears(), new LoraConfig(RANK, RANK, 0, LoraInit.GAUSSIAN,
                LoraConfig.UNET_TARGETS), SEED);
        lora.setTrainable(true);
        lora.setTraining(true);
        optimizer = new AdamW(List.of(new AdamW.Group("unet", lora.parameterNames(), lora.parameters(), LR)),
                AdamW.Hyperparameters.defaults());
        JniUtils.setSeed(SEED);
        Shape latents = new Shape(1, unet.config().inChannels(), LATENT_SIDE, LATENT_SIDE);
        sample = manager.randomNormal(latents);
        timestep = manager.create(TIMESTEP);
        context = manager.randomNormal(new Shape(1, TEXT_TOKENS, unet.config().crossAttentionDim().get(0)));
        target = manager.randomNormal(new Shape(1, unet.config().outChannels(), LATENT_SIDE, LATENT_SIDE));
    }

    @Override
    public void run() {
        try (NDManager step = manager.newSubManager();
             GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray prediction = unet.forward(sample, timestep, context);
            prediction.attach(step);
            collector.backward(prediction.sub(target).square().mean());
        }
        optimizer.step(1.0);
        Gradients.zero(lora.parameters());
    }

    @Override
    public void close() {
        optimizer.close();
        lora.close();
        manager.close();
    }
}
