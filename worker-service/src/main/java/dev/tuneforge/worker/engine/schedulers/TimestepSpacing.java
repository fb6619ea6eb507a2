package dev.tuneforge.worker.engine.schedulers;

/**
 * How inference timesteps are picked from the training range, as diffusers' {@code timestep_spacing}
 * (table 2 of "Common Diffusion Noise Schedules and Sample Steps are Flawed").
 */
enum TimestepSpacing implements ConfigChoice {
    LINSPACE("linspace"),
    LEADING("leading"),
    TRAILING("trailing");

    private final String configName;

    TimestepSpacing(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    /**
     * The descending timesteps DDPM, DDIM, PNDM and the Euler schedulers use. {@code roundLinspace}: the
     * integer schedulers round linspace points, the Euler schedulers keep them fractional.
     */
    double[] descending(int trainSteps, int steps, int stepsOffset, boolean roundLinspace) {
        switch (this) {
            case LINSPACE: {
                double[] points = NumpyMath.linspace(0, trainSteps - 1, steps);
                return NumpyMath.reversed(roundLinspace ? NumpyMath.rint(points) : points);
            }
            case LEADING: {
                int ratio = trainSteps / steps;
                double[] out = new double[steps];
                for (int i = 0; i < steps; i++) {
                    out[i] = (double) (steps - 1 - i) * ratio + stepsOffset;
                }
                return out;
            }
            default:
                return minusOne(NumpyMath.rint(NumpyMath.arange(trainSteps, 0, -(double) trainSteps / steps)));
        }
    }

    /**
     * DPM-Solver's variant: linspace and leading space {@code steps + 1} points over the range up to
     * {@code lastTimestep} and drop the final one, so the schedule never reaches t = 0.
     */
    double[] descendingMultistep(int trainSteps, int lastTimestep, int steps, int stepsOffset) {
        switch (this) {
            case LINSPACE: {
                double[] points = NumpyMath.reversed(NumpyMath.rint(NumpyMath.linspace(0, lastTimestep - 1, steps + 1)));
                return java.util.Arrays.copyOf(points, steps);
            }
            case LEADING: {
                int ratio = lastTimestep / (steps + 1);
                double[] out = new double[steps];
                for (int i = 0; i < steps; i++) {
                    out[i] = (double) (steps - i) * ratio + stepsOffset;
                }
                return out;
            }
            default:
                return minusOne(NumpyMath.rint(NumpyMath.arange(lastTimestep, 0, -(double) trainSteps / steps)));
        }
    }

    private static double[] minusOne(double[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] -= 1;
        }
        return values;
    }
}
