package dev.tuneforge.worker.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.tuneforge.worker.engine.nn.Scalars;
import dev.tuneforge.worker.engine.schedulers.Scheduler;
import dev.tuneforge.worker.engine.unet.UNet2DConditionModel;
import java.util.Arrays;

/**
 * The forward half of a training step, as diffusers' text-to-image and DreamBooth scripts do it:
 * noise the latents to the drawn timesteps ({@code add_noise}), let the UNet predict, and compare
 * with the objective's target. With prior preservation the last rows of the batch are class images
 * and their loss is added with its weight: {@code loss(instance) + w · loss(prior)}.
 */
public final class DenoisingLoss {

    /** The UNet's prediction, the target and the scalar loss, all in the latents' manager. */
    public record Result(NDArray prediction, NDArray target, NDArray loss) {
    }

    private final UNet2DConditionModel unet;
    private final Scheduler noiseScheduler;
    private final DiffusionObjective objective;
    private final double priorLossWeight;

    public DenoisingLoss(UNet2DConditionModel unet, Scheduler noiseScheduler, DiffusionObjective objective,
                         double priorLossWeight) {
        if (!(priorLossWeight >= 0)) {
            throw new IllegalArgumentException("prior loss weight must be >= 0, got " + priorLossWeight);
        }
        this.unet = unet;
        this.noiseScheduler = noiseScheduler;
        this.objective = objective;
        this.priorLossWeight = priorLossWeight;
    }

    public DiffusionObjective objective() {
        return objective;
    }

    /**
     * @param latents scaled VAE latents {@code (B, C, H, W)}
     * @param noise the noise to add, same shape
     * @param timesteps one training timestep per row
     * @param context text encoder states {@code (B, tokens, dim)}
     * @param priorRows how many rows at the end of the batch are class (prior-preservation) images
     */
    public Result compute(NDArray latents, NDArray noise, long[] timesteps, NDArray context, int priorRows) {
        long batch = latents.getShape().get(0);
        if (priorRows < 0 || priorRows >= batch) {
            throw new IllegalArgumentException("prior rows must be in [0, " + batch + "), got " + priorRows);
        }
        NDArray noisy = noiseScheduler.addNoise(latents, noise, timesteps);
        NDArray prediction = unet.forward(noisy, latents.getManager().create(timesteps), context);
        NDArray target = objective.target(latents, noise, timesteps);
        if (priorRows == 0) {
            return new Result(prediction, target, objective.loss(prediction, target, timesteps));
        }
        int split = (int) (batch - priorRows);
        NDIndex instance = new NDIndex("0:{}", split);
        NDIndex prior = new NDIndex("{}:", split);
        NDArray instanceLoss = objective.loss(prediction.get(instance), target.get(instance),
                Arrays.copyOfRange(timesteps, 0, split));
        NDArray priorLoss = objective.loss(prediction.get(prior), target.get(prior),
                Arrays.copyOfRange(timesteps, split, timesteps.length));
        return new Result(prediction, target, instanceLoss.add(priorLoss.mul(Scalars.like(priorLoss, priorLossWeight))));
    }
}
