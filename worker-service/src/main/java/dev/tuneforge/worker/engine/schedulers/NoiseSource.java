package dev.tuneforge.worker.engine.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/** Where stochastic schedulers get their N(0, 1) variance noise. */
@FunctionalInterface
public interface NoiseSource {

    /** Standard normal float32 noise of {@code shape}, owned by {@code manager}. */
    NDArray next(NDManager manager, Shape shape);

    /**
     * Noise from a seeded Java generator: the same seed gives the same draws on every machine and
     * engine (it does not reproduce torch's generator).
     */
    static NoiseSource seeded(long seed) {
        Random random = new Random(seed);
        return (manager, shape) -> {
            float[] values = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            return manager.create(values, shape);
        };
    }

    /** For deterministic schedulers: asking it for noise is an error. */
    static NoiseSource none() {
        return (manager, shape) -> {
            throw new IllegalStateException("this scheduler step needs variance noise of shape " + shape
                    + " but was given no noise source");
        };
    }
}
