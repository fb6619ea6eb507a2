package dev.tuneforge.worker.engine.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * Ancestral sampling with Euler steps (k-diffusion's {@code sample_euler_ancestral}): a port of
 * diffusers' {@code EulerAncestralDiscreteScheduler}. Each step goes down to a lower sigma
 * deterministically and adds fresh noise back up to the next sigma.
 */
public final class EulerAncestralScheduler extends EulerDiscreteScheduler {

    EulerAncestralScheduler(SchedulerConfig config) {
        super(config, false, FinalSigmas.ZERO, PredictionType.EPSILON, PredictionType.V_PREDICTION);
    }

    @Override
    public StepOutput step(NDArray modelOutput, float t, NDArray sample, NoiseSource noise) {
        int index = stepIndex(t);
        float sigma = sigma(index);
        NDArray original = predictOriginal(modelOutput, sample, sigma);
        float[] upDown = sigmaUpDown(index);
        NDArray derivative = sample.sub(original).div(sigma);
        NDArray prevSample = sample.add(derivative.mul(upDown[1] - sigma));
        NDArray fresh = noise.next(sample.getManager(), modelOutput.getShape());
        prevSample = prevSample.add(fresh.mul(upDown[0]));
        advance();
        return new StepOutput(prevSample, original);
    }

    /**
     * The split of the move from sigma[i] to sigma[i+1] into a deterministic step down to
     * sigma_down and fresh noise of sigma_up, with sigma_down^2 + sigma_up^2 = sigma[i+1]^2.
     * Returns {sigma_up, sigma_down}.
     */
    float[] sigmaUpDown(int index) {
        float from = sigma(index);
        float to = sigma(index + 1);
        float up = sqrt(to * to * (from * from - to * to) / (from * from));
        float down = sqrt(to * to - up * up);
        return new float[] {up, down};
    }
}
