package dev.tuneforge.common.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a job spec and names every offending field (paths relative to the API body, e.g.
 * {@code spec.lora.rank}). Only static checks live here; whether a model or dataset exists is the
 * API's business.
 */
public final class SpecValidator {
    /** Ids become object-store key segments, so they are held to the key builder's safe alphabet. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final int MAX_STEPS = 1_000_000;
    private static final int MAX_IMAGE_SIDE = 2048;
    private static final int MAX_IMAGES_PER_PROMPT = 16;
    private static final int MAX_PROMPTS = 256;

    private final List<Violation> violations = new ArrayList<>();

    private SpecValidator() {
    }

    public static List<Violation> validate(JobSpec spec) {
        SpecValidator v = new SpecValidator();
        if (spec instanceof TrainSpec train) {
            v.train(train);
        } else if (spec instanceof GenerateSpec generate) {
            v.generate(generate);
        } else if (spec instanceof EvaluateSpec evaluate) {
            v.evaluate(evaluate);
        }
        return List.copyOf(v.violations);
    }

    /** Throws {@link InvalidSpecException} listing every violation, or returns the spec unchanged. */
    public static <T extends JobSpec> T requireValid(T spec) {
        List<Violation> found = validate(spec);
        if (!found.isEmpty()) {
            throw new InvalidSpecException(found);
        }
        return spec;
    }

    private void train(TrainSpec s) {
        oneOf("spec.method", s.method(), Vocabulary.METHODS);
        id("spec.modelId", s.modelId());
        id("spec.datasetId", s.datasetId());
        range("spec.steps", s.steps(), 1, MAX_STEPS);
        range("spec.batchSize", s.batchSize(), 1, 64);
        imageSide("spec.resolution", s.resolution());
        learningRate("spec.learningRate", s.learningRate());
        learningRate("spec.textEncoderLearningRate", s.textEncoderLearningRate());
        oneOf("spec.lrScheduler", s.lrScheduler(), Vocabulary.LR_SCHEDULERS);
        range("spec.lrCycles", s.lrCycles(), 1, 1000);
        positive("spec.lrPower", s.lrPower());
        range("spec.lrWarmupSteps", s.lrWarmupSteps(), 0, MAX_STEPS);
        range("spec.gradientAccumulationSteps", s.gradientAccumulationSteps(), 1, 1024);
        positive("spec.maxGradNorm", s.maxGradNorm());
        positive("spec.snrGamma", s.snrGamma());
        seed("spec.seed", s.seed());
        range("spec.checkpointEvery", s.checkpointEvery(), 1, MAX_STEPS);
        if (s.keepCheckpoints() != null) {
            range("spec.keepCheckpoints", s.keepCheckpoints(), 1, 10_000);
        }
        lora("spec.lora", s.lora());
        sampling("spec.validation", s.validation());
        if ("dreambooth".equals(s.method())) {
            dreambooth("spec.dreambooth", s.dreambooth());
        }
    }

    private void generate(GenerateSpec s) {
        id("spec.modelId", s.modelId());
        loraRef("spec.lora", s.lora());
        sampling("spec.sampling", s.sampling());
        if (s.sampling().prompts().isEmpty()) {
            add("spec.sampling.prompts", "at least one prompt is required");
        }
    }

    private void evaluate(EvaluateSpec s) {
        id("spec.modelId", s.modelId());
        id("spec.datasetId", s.datasetId());
        loraRef("spec.lora", s.lora());
        sampling("spec.sampling", s.sampling());
    }

    private void lora(String path, LoraSettings l) {
        range(path + ".rank", l.rank(), 1, 1024);
        positive(path + ".alpha", l.alpha());
        if (l.dropout() < 0 || l.dropout() >= 1 || l.dropout().isNaN()) {
            add(path + ".dropout", "must be in [0, 1), was " + l.dropout());
        }
        if (l.unetTargets().isEmpty() && l.textEncoderTargets().isEmpty()) {
            add(path + ".unetTargets", "LoRA needs at least one target projection");
        }
        names(path + ".unetTargets", l.unetTargets());
        names(path + ".textEncoderTargets", l.textEncoderTargets());
    }

    private void sampling(String path, SamplingSettings s) {
        if (s.prompts().size() > MAX_PROMPTS) {
            add(path + ".prompts", "at most " + MAX_PROMPTS + " prompts, was " + s.prompts().size());
        }
        for (int i = 0; i < s.prompts().size(); i++) {
            String prompt = s.prompts().get(i);
            if (prompt == null || prompt.isBlank()) {
                add(path + ".prompts[" + i + "]", "must not be blank");
            }
        }
        range(path + ".steps", s.steps(), 1, 1000);
        if (s.guidance().isNaN() || s.guidance() < 0 || s.guidance() > 50) {
            add(path + ".guidance", "must be in [0, 50], was " + s.guidance());
        }
        if (s.scheduler() != null) {
            oneOf(path + ".scheduler", s.scheduler(), Vocabulary.SCHEDULERS);
        }
        seed(path + ".seed", s.seed());
        imageSide(path + ".width", s.width());
        imageSide(path + ".height", s.height());
        range(path + ".imagesPerPrompt", s.imagesPerPrompt(), 1, MAX_IMAGES_PER_PROMPT);
    }

    private void dreambooth(String path, DreamBoothSettings d) {
        if (d == null) {
            add(path, "required when method is dreambooth (instancePrompt, classPrompt)");
            return;
        }
        if (d.instancePrompt() == null || d.instancePrompt().isBlank()) {
            add(path + ".instancePrompt", "required: the prompt with the rare identifier, e.g. 'a photo of sks person'");
        }
        if (d.priorPreservation() && (d.classPrompt() == null || d.classPrompt().isBlank())) {
            add(path + ".classPrompt", "required with prior preservation, e.g. 'a photo of a person'");
        }
        range(path + ".numClassImages", d.numClassImages(), 0, 10_000);
        if (d.priorLossWeight().isNaN() || d.priorLossWeight() < 0) {
            add(path + ".priorLossWeight", "must be >= 0, was " + d.priorLossWeight());
        }
    }

    private void loraRef(String path, LoraRef ref) {
        if (ref == null) {
            return;
        }
        id(path + ".jobId", ref.jobId());
        if (ref.step() != null) {
            range(path + ".step", ref.step(), 1, MAX_STEPS);
        }
        if (ref.scale().isNaN() || ref.scale().isInfinite() || Math.abs(ref.scale()) > 10) {
            add(path + ".scale", "must be a finite number in [-10, 10], was " + ref.scale());
        }
    }

    private void id(String field, String value) {
        if (value == null || value.isBlank()) {
            add(field, "required");
        } else if (!ID.matcher(value).matches()) {
            add(field, "must be 1-128 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private void imageSide(String field, int value) {
        if (value < 64 || value > MAX_IMAGE_SIDE) {
            add(field, "must be between 64 and " + MAX_IMAGE_SIDE + ", was " + value);
        } else if (value % 8 != 0) {
            add(field, "must be a multiple of 8, was " + value);
        }
    }

    private void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            add(field, min == 1 && value < 1 ? "must be positive, was " + value
                    : "must be between " + min + " and " + max + ", was " + value);
        }
    }

    private void positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            add(field, "must be a positive finite number, was " + value);
        }
    }

    private void learningRate(String field, double value) {
        if (!(value > 0) || value > 1 || Double.isInfinite(value)) {
            add(field, "must be in (0, 1], was " + value);
        }
    }

    private void seed(String field, long value) {
        if (value < 0) {
            add(field, "must be >= 0, was " + value);
        }
    }

    private void oneOf(String field, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            add(field, "unknown value '" + value + "'; one of " + String.join(", ", allowed));
        }
    }

    private void names(String field, List<String> values) {
        for (String value : values) {
            if (value == null || value.isBlank()) {
                add(field, "must not contain blank names");
            }
        }
    }

    private void add(String field, String message) {
        violations.add(new Violation(field, message));
    }
}
