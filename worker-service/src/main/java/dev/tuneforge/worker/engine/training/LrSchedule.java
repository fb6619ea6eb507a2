package dev.tuneforge.worker.engine.training;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The learning-rate schedules of diffusers' {@code optimization.get_scheduler}: a multiplier of
 * each parameter group's base learning rate as a function of the optimizer step (torch's
 * {@code LambdaLR}). The schedule is a pure function of the step, so its whole state for a resume
 * is the step count.
 */
public final class LrSchedule {

    /** The schedule names diffusers accepts (those this engine supports). */
    public enum Kind {
        CONSTANT, CONSTANT_WITH_WARMUP, LINEAR, COSINE, COSINE_WITH_RESTARTS, POLYNOMIAL;

        /** The name as diffusers spells it, e.g. {@code cosine_with_restarts}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String name) {
            for (Kind kind : values()) {
                if (kind.configName().equals(name)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown lr schedule '" + name + "'; valid: "
                    + Arrays.stream(values()).map(Kind::configName).collect(Collectors.joining(", ")));
        }
    }

    /** diffusers' {@code get_cosine_schedule_with_warmup} default, which get_scheduler never overrides. */
    private static final double COSINE_HALF_CYCLE = 0.5;

    private final Kind kind;
    private final int warmupSteps;
    private final int trainingSteps;
    private final int numCycles;
    private final double power;
    private final double lrEnd;
    private final double lrInit;

    private LrSchedule(Builder b) {
        this.kind = b.kind;
        this.warmupSteps = b.warmupSteps;
        this.trainingSteps = b.trainingSteps;
        this.numCycles = b.numCycles;
        this.power = b.power;
        this.lrEnd = b.lrEnd;
        this.lrInit = b.lrInit;
    }

    /** A schedule called {@code name} (e.g. {@code "cosine_with_restarts"}). */
    public static Builder builder(String name) {
        return new Builder(Kind.parse(name));
    }

    public Kind kind() {
        return kind;
    }

    /** The learning rate of a group with base rate {@code baseLr} after {@code step} optimizer steps. */
    public double lr(double baseLr, long step) {
        return baseLr * factor(step);
    }

    /** The multiplier of the base learning rate after {@code step} optimizer steps (torch's lr_lambda). */
    public double factor(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (kind == Kind.CONSTANT) {
            return 1.0;
        }
        if (step < warmupSteps) {
            return (double) step / Math.max(1, warmupSteps);
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, trainingSteps - warmupSteps);
        switch (kind) {
            case CONSTANT_WITH_WARMUP:
                return 1.0;
            case LINEAR:
                return Math.max(0.0, (double) (trainingSteps - step) / Math.max(1, trainingSteps - warmupSteps));
            case COSINE:
                // The operand order is diffusers': pi * cycles * 2 * progress, left to right.
                return Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * COSINE_HALF_CYCLE * 2.0 * progress)));
            case COSINE_WITH_RESTARTS:
                if (progress >= 1.0) {
                    return 0.0;
                }
                return Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * ((numCycles * progress) % 1.0))));
            case POLYNOMIAL:
                return polynomial(step);
            default:
                throw new IllegalStateException("unhandled schedule " + kind);
        }
    }

    private double polynomial(long step) {
        if (step > trainingSteps) {
            return lrEnd / lrInit;
        }
        double remaining = 1 - (double) (step - warmupSteps) / (trainingSteps - warmupSteps);
        return ((lrInit - lrEnd) * Math.pow(remaining, power) + lrEnd) / lrInit;
    }

    @Override
    public String toString() {
        return "LrSchedule[" + kind.configName() + ", warmup " + warmupSteps + ", steps " + trainingSteps + "]";
    }

    /** Options of a schedule; each kind reads only the ones diffusers passes to it. */
    public static final class Builder {

        private final Kind kind;
        private int warmupSteps;
        private int trainingSteps = -1;
        private int numCycles = 1;
        private double power = 1.0;
        private double lrEnd = 1e-7;
        private double lrInit = Double.NaN;

        private Builder(Kind kind) {
            this.kind = kind;
        }

        public Builder warmupSteps(int steps) {
            this.warmupSteps = steps;
            return this;
        }

        /** The total optimizer steps (required by all but constant and constant_with_warmup). */
        public Builder trainingSteps(int steps) {
            this.trainingSteps = steps;
            return this;
        }

        /** Hard restarts of cosine_with_restarts (default 1). */
        public Builder numCycles(int cycles) {
            this.numCycles = cycles;
            return this;
        }

        /** Exponent of polynomial decay (default 1). */
        public Builder power(double exponent) {
            this.power = exponent;
            return this;
        }

        /** Final learning rate of polynomial decay (default 1e-7). */
        public Builder lrEnd(double lr) {
            this.lrEnd = lr;
            return this;
        }

        /** The optimizer's default learning rate, which polynomial decay is relative to. */
        public Builder initialLr(double lr) {
            this.lrInit = lr;
            return this;
        }

        public LrSchedule build() {
            if (warmupSteps < 0) {
                throw new IllegalArgumentException("lr schedule " + kind.configName() + ": warmup steps must be >= 0, got "
                        + warmupSteps);
            }
            boolean needsTotal = kind != Kind.CONSTANT && kind != Kind.CONSTANT_WITH_WARMUP;
            if (needsTotal && trainingSteps < 1) {
                throw new IllegalArgumentException("lr schedule " + kind.configName() + " needs the number of training"
                        + " steps (>= 1)");
            }
            if (kind == Kind.COSINE_WITH_RESTARTS && numCycles < 1) {
                throw new IllegalArgumentException("lr schedule cosine_with_restarts: cycles must be >= 1, got "
                        + numCycles);
            }
            if (kind == Kind.POLYNOMIAL) {
                checkPolynomial();
            }
            return new LrSchedule(this);
        }

        private void checkPolynomial() {
            if (!(lrInit > 0)) {
                throw new IllegalArgumentException("lr schedule polynomial needs the initial learning rate (> 0)");
            }
            if (lrEnd > lrInit) {
                throw new IllegalArgumentException("lr schedule polynomial: lr_end (" + lrEnd
                        + ") must not exceed the initial lr (" + lrInit + ")");
            }
            if (trainingSteps <= warmupSteps) {
                throw new IllegalArgumentException("lr schedule polynomial: training steps (" + trainingSteps
                        + ") must exceed warmup steps (" + warmupSteps + ")");
            }
        }
    }
}
