package dev.tuneforge.worker.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tuneforge.worker.engine.schedulers.PredictionType;
import dev.tuneforge.worker.engine.schedulers.Scheduler;
import java.util.Arrays;

/**
 * The denoising objective of diffusers' {@code train_text_to_image_lora.py}: the target the UNet
 * learns (the noise for epsilon models, the velocity for v_prediction models) and the MSE loss,
 * optionally weighted per sample by Min-SNR-gamma (Hang et al. 2023, as diffusers adapts it to
 * noise and velocity prediction). All arithmetic follows the reference's float32 operations.
 */
public final class DiffusionObjective {

    private final Scheduler scheduler;
    private final PredictionType prediction;
    private final Float snrGamma;

    /**
     * @param scheduler the training noise schedule (its alphas_cumprod and velocity)
     * @param predictionType "epsilon" or "v_prediction"; null takes the scheduler's
     * @param snrGamma the Min-SNR gamma, or null for the plain mean squared error
     */
    public DiffusionObjective(Scheduler scheduler, String predictionType, Float snrGamma) {
        this.scheduler = scheduler;
        this.prediction = parse(predictionType == null ? scheduler.predictionType() : predictionType);
        if (snrGamma != null && !(snrGamma > 0)) {
            throw new IllegalArgumentException("snr gamma must be > 0, got " + snrGamma);
        }
        this.snrGamma = snrGamma;
    }

    public PredictionType predictionType() {
        return prediction;
    }

    /** What the UNet should predict for {@code latents} noised with {@code noise} at {@code timesteps}. */
    public NDArray target(NDArray latents, NDArray noise, long[] timesteps) {
        return prediction == PredictionType.EPSILON ? noise : scheduler.velocity(latents, noise, timesteps);
    }

    /**
     * diffusers' {@code compute_snr}: {@code (sqrt(acp[t]) / sqrt(1 - acp[t]))^2}, in float32 as the
     * reference computes it.
     */
    public static float[] snr(double[] alphasCumprod, long[] timesteps) {
        float[] snr = new float[timesteps.length];
        for (int i = 0; i < timesteps.length; i++) {
            long t = timesteps[i];
            if (t < 0 || t >= alphasCumprod.length) {
                throw new IllegalArgumentException("timestep " + t + " outside the training schedule [0, "
                        + (alphasCumprod.length - 1) + "]");
            }
            float acp = (float) alphasCumprod[(int) t];
            float ratio = (float) Math.sqrt(acp) / (float) Math.sqrt(1f - acp);
            snr[i] = ratio * ratio;
        }
        return snr;
    }

    /**
     * Per-sample loss weights: {@code min(snr, gamma) / snr} for epsilon, {@code / (snr + 1)} for
     * v_prediction; all ones without Min-SNR.
     */
    public float[] weights(long[] timesteps) {
        float[] weights = new float[timesteps.length];
        if (snrGamma == null) {
            Arrays.fill(weights, 1f);
            return weights;
        }
        float[] snr = snr(scheduler.alphasCumprod(), timesteps);
        for (int i = 0; i < snr.length; i++) {
            float denominator = prediction == PredictionType.EPSILON ? snr[i] : snr[i] + 1f;
            weights[i] = Math.min(snr[i], snrGamma) / denominator;
        }
        return weights;
    }

    /**
     * The training loss, a scalar: {@code mean_b(w_b * mean((pred_b - target_b)^2))}, in float32
     * whatever the prediction's type. Differentiable with respect to {@code prediction}.
     */
    public NDArray loss(NDArray prediction, NDArray target, long[] timesteps) {
        Shape shape = prediction.getShape();
        if (!shape.equals(target.getShape()) || shape.dimension() < 2 || shape.get(0) != timesteps.length) {
            throw new IllegalArgumentException("loss needs prediction and target of the same shape (B, ...) with B = "
                    + timesteps.length + " timesteps, got " + shape + " and " + target.getShape());
        }
        NDArray perSample = perSampleMse(prediction, target);
        if (snrGamma == null) {
            return perSample.mean();
        }
        NDArray weights = prediction.getManager().create(weights(timesteps)).toDevice(prediction.getDevice(), false);
        return perSample.mul(weights).mean();
    }

    /** {@code F.mse_loss(pred.float(), target.float(), reduction="none").mean(dim=[1..])}: one value per sample. */
    public static NDArray perSampleMse(NDArray prediction, NDArray target) {
        NDArray diff = prediction.toType(DataType.FLOAT32, false).sub(target.toType(DataType.FLOAT32, false));
        return diff.square().reshape(prediction.getShape().get(0), -1).mean(new int[] {1});
    }

    private static PredictionType parse(String name) {
        if (PredictionType.EPSILON.configName().equals(name)) {
            return PredictionType.EPSILON;
        }
        if (PredictionType.V_PREDICTION.configName().equals(name)) {
            return PredictionType.V_PREDICTION;
        }
        throw new IllegalArgumentException("prediction type '" + name + "' cannot be trained; supported: "
                + PredictionType.EPSILON.configName() + ", " + PredictionType.V_PREDICTION.configName());
    }
}
