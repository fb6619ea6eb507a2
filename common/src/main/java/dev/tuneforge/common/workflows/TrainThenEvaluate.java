package dev.tuneforge.common.workflows;

import dev.tuneforge.common.jobs.EvaluateSpec;
import dev.tuneforge.common.jobs.GenerateSpec;
import dev.tuneforge.common.jobs.SamplingSettings;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.common.jobs.ValidationPrompts;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code train-then-evaluate} template: train, evaluate every checkpoint with the same
 * sampling settings (default prompts: the homework's validation set), select the best by the
 * policy, and optionally render {@code generate} with the best checkpoint.
 */
public record TrainThenEvaluate(TrainSpec train, SamplingSettings evaluation, SelectionPolicy policy,
        SamplingSettings generate) {
    public static final String NAME = "train-then-evaluate";
    public static final String TRAIN = "train";
    public static final String EVALUATE = "evaluate";
    public static final String GENERATE = "generate";

    public TrainThenEvaluate {
        evaluation = evaluation == null ? SamplingSettings.defaults() : evaluation;
        policy = policy == null ? SelectionPolicy.defaults() : policy;
    }

    public WorkflowSpec expand() {
        List<StepSpec> steps = new ArrayList<>();
        steps.add(new StepSpec(TRAIN, train, List.of(), null, null));
        EvaluateSpec evaluate = new EvaluateSpec(train.modelId(), train.datasetId(), null,
                withDefaultPrompts(evaluation, ValidationPrompts.defaults()));
        steps.add(new StepSpec(EVALUATE, evaluate, List.of(TRAIN), StepSpec.checkpointsOf(TRAIN), null));
        if (generate != null) {
            // The final set renders the evaluation prompts unless the request names its own.
            GenerateSpec final_ = new GenerateSpec(train.modelId(), null,
                    withDefaultPrompts(generate, evaluate.sampling().prompts()));
            steps.add(new StepSpec(GENERATE, final_, List.of(EVALUATE), null, TRAIN));
        }
        return new WorkflowSpec(NAME, steps, policy);
    }

    private static SamplingSettings withDefaultPrompts(SamplingSettings s, List<String> defaults) {
        if (!s.prompts().isEmpty()) {
            return s;
        }
        return new SamplingSettings(defaults, s.negativePrompt(), s.steps(), s.guidance(), s.scheduler(), s.seed(),
                s.width(), s.height(), s.imagesPerPrompt());
    }
}
