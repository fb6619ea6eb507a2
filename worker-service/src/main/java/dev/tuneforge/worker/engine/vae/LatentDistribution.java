package dev.tuneforge.worker.engine.vae;

import ai.djl.ndarray.NDArray;

/**
 * diffusers' {@code DiagonalGaussianDistribution} over latents: the encoder's moments split into
 * mean and log-variance, the log-variance clamped to [-30, 20] as the reference does.
 */
public record LatentDistribution(NDArray mean, NDArray logvar, NDArray std) {

    private static final float LOGVAR_MIN = -30f;
    private static final float LOGVAR_MAX = 20f;

    /** From moments {@code (B, 2·latent, H, W)}: channels {@code [mean, logvar]}. */
    static LatentDistribution fromMoments(NDArray moments) {
        long latent = moments.getShape().get(1) / 2;
        NDArray mean = moments.get(":, :{}", latent);
        NDArray logvar = moments.get(":, {}:", latent).clip(LOGVAR_MIN, LOGVAR_MAX);
        return new LatentDistribution(mean, logvar, logvar.mul(0.5f).exp());
    }

    /** {@code mean + std · noise}, with {@code noise} standard normal and shaped like the mean. */
    public NDArray sample(NDArray noise) {
        if (!noise.getShape().equals(mean.getShape())) {
            throw new IllegalArgumentException("latent noise must have the mean's shape " + mean.getShape() + ", got "
                    + noise.getShape());
        }
        return std.mul(noise).addi(mean);
    }
}
