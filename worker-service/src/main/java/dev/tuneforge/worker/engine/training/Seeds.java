package dev.tuneforge.worker.engine.training;

/**
 * Counter-based seeds: every random draw of a training run is seeded from the run's seed and the
 * position of the draw (purpose, micro-step, row), never from a generator's running state. So the
 * whole random state of a run at step k is (seed, k), a checkpoint needs nothing more to resume
 * exactly, and the data order does not depend on what was drawn before.
 */
public final class Seeds {

    private Seeds() {
    }

    /** A well-mixed 64-bit seed for {@code parts} under {@code seed} (SplitMix64 finaliser over each part). */
    public static long derive(long seed, long... parts) {
        long h = mix(seed ^ 0x6A09E667F3BCC909L);
        for (long part : parts) {
            h = mix(h ^ mix(part + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
