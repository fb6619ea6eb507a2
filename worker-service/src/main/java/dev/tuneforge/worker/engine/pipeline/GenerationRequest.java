package dev.tuneforge.worker.engine.pipeline;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * One text-to-image call. Width and height default to the UNet's sample size times the VAE's
 * downscale; the seed defaults to a random one (reported in the result).
 */
public final class GenerationRequest {

    private final List<String> prompts;
    private final List<String> negativePrompts;
    private final float guidanceScale;
    private final int steps;
    private final Long seed;
    private final Integer width;
    private final Integer height;
    private final int imagesPerPrompt;
    private final NDArray latents;
    private final StepCallback callback;

    private GenerationRequest(Builder b) {
        this.prompts = List.copyOf(b.prompts);
        this.negativePrompts = b.negativePrompts == null ? null : List.copyOf(b.negativePrompts);
        this.guidanceScale = b.guidanceScale;
        this.steps = b.steps;
        this.seed = b.seed;
        this.width = b.width;
        this.height = b.height;
        this.imagesPerPrompt = b.imagesPerPrompt;
        this.latents = b.latents;
        this.callback = b.callback;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> prompts() {
        return prompts;
    }

    /** One negative prompt per prompt ("" when none was given). */
    public List<String> negativePrompts() {
        if (negativePrompts == null) {
            return java.util.Collections.nCopies(prompts.size(), "");
        }
        return negativePrompts.size() == 1 ? java.util.Collections.nCopies(prompts.size(), negativePrompts.get(0))
                : negativePrompts;
    }

    public float guidanceScale() {
        return guidanceScale;
    }

    /** Classifier-free guidance runs only above 1, as in diffusers. */
    public boolean guided() {
        return guidanceScale > 1f;
    }

    public int steps() {
        return steps;
    }

    /** The seed of the starting noise and of the scheduler's draws, or null for a random one. */
    public Long seed() {
        return seed;
    }

    /** Requested width in pixels, or null for the model default. */
    public Integer width() {
        return width;
    }

    /** Requested height in pixels, or null for the model default. */
    public Integer height() {
        return height;
    }

    public int imagesPerPrompt() {
        return imagesPerPrompt;
    }

    /** Fixed starting latents (before scaling by the scheduler's init sigma), or null to draw them from the seed. */
    public NDArray latents() {
        return latents;
    }

    /** The per-step callback, or null. */
    public StepCallback callback() {
        return callback;
    }

    /** Builds a request; {@link #build()} checks the values and names the first bad one. */
    public static final class Builder {

        private final List<String> prompts = new ArrayList<>();
        private List<String> negativePrompts;
        private float guidanceScale = 7.5f;
        private int steps = 50;
        private Long seed;
        private Integer width;
        private Integer height;
        private int imagesPerPrompt = 1;
        private NDArray latents;
        private StepCallback callback;

        private Builder() {
        }

        public Builder addPrompt(String prompt) {
            prompts.add(prompt);
            return this;
        }

        public Builder setPrompts(List<String> texts) {
            prompts.clear();
            prompts.addAll(texts);
            return this;
        }

        /** One negative prompt for all prompts. */
        public Builder optNegativePrompt(String negative) {
            this.negativePrompts = List.of(negative);
            return this;
        }

        /** One negative prompt per prompt. */
        public Builder optNegativePrompts(List<String> negatives) {
            this.negativePrompts = List.copyOf(negatives);
            return this;
        }

        public Builder optGuidanceScale(float scale) {
            this.guidanceScale = scale;
            return this;
        }

        public Builder optSteps(int count) {
            this.steps = count;
            return this;
        }

        public Builder optSeed(long value) {
            this.seed = value;
            return this;
        }

        public Builder optSize(int widthPixels, int heightPixels) {
            this.width = widthPixels;
            this.height = heightPixels;
            return this;
        }

        public Builder optImagesPerPrompt(int count) {
            this.imagesPerPrompt = count;
            return this;
        }

        /** Starting latents {@code (prompts × images per prompt, channels, h/f, w/f)}, instead of seeded noise. */
        public Builder optLatents(NDArray initial) {
            this.latents = initial;
            return this;
        }

        public Builder optCallback(StepCallback onStep) {
            this.callback = onStep;
            return this;
        }

        public GenerationRequest build() {
            if (prompts.isEmpty()) {
                throw new IllegalArgumentException("a generation needs at least one prompt");
            }
            if (prompts.stream().anyMatch(p -> p == null)) {
                throw new IllegalArgumentException("prompts must not be null");
            }
            if (negativePrompts != null && negativePrompts.size() != 1 && negativePrompts.size() != prompts.size()) {
                throw new IllegalArgumentException("got " + negativePrompts.size() + " negative prompts for "
                        + prompts.size() + " prompts: give one, or one per prompt");
            }
            checkMultipleOf8("width", width);
            checkMultipleOf8("height", height);
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be >= 1, got " + steps);
            }
            if (imagesPerPrompt < 1) {
                throw new IllegalArgumentException("images per prompt must be >= 1, got " + imagesPerPrompt);
            }
            if (!Float.isFinite(guidanceScale)) {
                throw new IllegalArgumentException("guidance scale must be finite, got " + guidanceScale);
            }
            return new GenerationRequest(this);
        }

        private static void checkMultipleOf8(String what, Integer pixels) {
            if (pixels != null && (pixels <= 0 || pixels % 8 != 0)) {
                throw new IllegalArgumentException(what + " must be a positive multiple of 8, got " + pixels);
            }
        }
    }
}
