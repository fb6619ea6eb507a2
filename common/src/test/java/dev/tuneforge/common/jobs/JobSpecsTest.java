package dev.tuneforge.common.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.common.events.EventCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobSpecsTest {
    private final ObjectMapper mapper = EventCodec.newMapper();
    private final JobSpecs specs = new JobSpecs(mapper);

    private JsonNode json(String text) throws Exception {
        return mapper.readTree(text.replace('\'', '"'));
    }

    private List<String> fieldsOf(String kind, String spec) throws Exception {
        try {
            specs.parse(kind, json(spec));
            return List.of();
        } catch (InvalidSpecException e) {
            return e.violations().stream().map(Violation::field).toList();
        }
    }

    @Test
    void minimalTrainSpecTakesTheDesignDefaults() throws Exception {
        TrainSpec spec = (TrainSpec) specs.parse("train", json("{'modelId':'sd15','datasetId':'me'}"));
        assertThat(spec.method()).isEqualTo("lora");
        assertThat(spec.lora().rank()).isEqualTo(32);
        assertThat(spec.lora().alpha()).isEqualTo(16.0);
        assertThat(spec.lora().unetTargets()).containsExactly("to_q", "to_k", "to_v", "to_out.0");
        assertThat(spec.lora().textEncoderTargets()).containsExactly("q_proj", "k_proj", "v_proj", "out_proj");
        assertThat(spec.learningRate()).isEqualTo(1e-4);
        assertThat(spec.textEncoderLearningRate()).isEqualTo(1e-4);
        assertThat(spec.lrScheduler()).isEqualTo("cosine_with_restarts");
        assertThat(spec.lrCycles()).isEqualTo(3);
        assertThat(spec.lrWarmupSteps()).isEqualTo(100);
        assertThat(spec.steps()).isEqualTo(200);
        assertThat(spec.batchSize()).isEqualTo(2);
        assertThat(spec.resolution()).isEqualTo(512);
        assertThat(spec.snrGamma()).isEqualTo(5.0);
        assertThat(spec.seed()).isEqualTo(1126L);
        assertThat(spec.validation().steps()).isEqualTo(30);
    }

    @Test
    void eachInvalidFieldIsNamed() throws Exception {
        assertThat(fieldsOf("train", "{'modelId':'m','datasetId':'d','steps':-5}")).containsExactly("spec.steps");
        assertThat(fieldsOf("train", "{'modelId':'m','datasetId':'d','lora':{'rank':0}}"))
                .containsExactly("spec.lora.rank");
        assertThat(fieldsOf("train", "{'modelId':'m','datasetId':'d','resolution':500}"))
                .containsExactly("spec.resolution");
        assertThat(fieldsOf("train", "{'modelId':'m','datasetId':'d','method':'magic'}"))
                .containsExactly("spec.method");
        assertThat(fieldsOf("train", "{'modelId':'m','datasetId':'d','validation':{'scheduler':'warp'}}"))
                .containsExactly("spec.validation.scheduler");
        assertThat(fieldsOf("train", "{'modelId':'m'}")).containsExactly("spec.datasetId");
        assertThat(fieldsOf("train", "{'modelId':'m','datasetId':'../etc'}")).containsExactly("spec.datasetId");
    }

    @Test
    void severalViolationsAreAllReported() throws Exception {
        assertThat(fieldsOf("train", "{'steps':0,'resolution':513}"))
                .containsExactlyInAnyOrder("spec.modelId", "spec.datasetId", "spec.steps", "spec.resolution");
    }

    @Test
    void typeErrorsAndUnknownFieldsNameTheField() throws Exception {
        assertThat(fieldsOf("train", "{'modelId':'m','datasetId':'d','lora':{'rank':'big'}}"))
                .containsExactly("spec.lora.rank");
        assertThat(fieldsOf("train", "{'modelId':'m','datasetId':'d','stepz':5}")).containsExactly("spec.stepz");
    }

    @Test
    void unknownKindAndMissingSpecAreRejected() throws Exception {
        assertThatThrownBy(() -> specs.parse("paint", json("{}")))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("kind: unknown job kind 'paint'; one of train, generate, evaluate");
        assertThatThrownBy(() -> specs.parse("train", null)).hasMessageContaining("spec: required");
    }

    @Test
    void dreamboothNeedsItsPrompts() throws Exception {
        assertThat(fieldsOf("train", "{'modelId':'m','datasetId':'d','method':'dreambooth'}"))
                .containsExactly("spec.dreambooth");
        assertThat(fieldsOf("train", "{'modelId':'m','datasetId':'d','method':'dreambooth','dreambooth':{}}"))
                .containsExactlyInAnyOrder("spec.dreambooth.instancePrompt", "spec.dreambooth.classPrompt");
    }

    @Test
    void generateNeedsPromptsAndSizesInMultiplesOfEight() throws Exception {
        assertThat(fieldsOf("generate", "{'modelId':'m'}")).containsExactly("spec.sampling.prompts");
        assertThat(fieldsOf("generate", "{'modelId':'m','sampling':{'prompts':['a cat'],'width':100}}"))
                .containsExactly("spec.sampling.width");
        GenerateSpec ok = (GenerateSpec) specs.parse("generate",
                json("{'modelId':'m','lora':{'jobId':'j1'},'sampling':{'prompts':['a cat']}}"));
        assertThat(ok.lora().scale()).isEqualTo(1.0);
        assertThat(ok.sampling().steps()).isEqualTo(30);
    }

    @Test
    void evaluateNeedsModelAndDataset() throws Exception {
        assertThat(fieldsOf("evaluate", "{}")).containsExactlyInAnyOrder("spec.modelId", "spec.datasetId");
    }
}
