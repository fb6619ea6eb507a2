package dev.tuneforge.common.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.jobs.EvaluateSpec;
import dev.tuneforge.common.jobs.GenerateSpec;
import dev.tuneforge.common.jobs.InvalidSpecException;
import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.common.jobs.ValidationPrompts;
import dev.tuneforge.common.jobs.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowSpecsTest {
    private static final String TRAIN = "{'modelId':'sd15','datasetId':'alice','steps':30,'checkpointEvery':10}";
    private final ObjectMapper mapper = EventCodec.newMapper();
    private final WorkflowSpecs specs = new WorkflowSpecs(mapper);

    private WorkflowSpec parse(String body) throws Exception {
        return specs.parse(mapper.readTree(body.replace('\'', '"')));
    }

    private List<Violation> violations(String body) throws Exception {
        try {
            parse(body);
            throw new AssertionError("accepted: " + body);
        } catch (InvalidSpecException e) {
            return e.violations();
        }
    }

    private List<String> fields(String body) throws Exception {
        return violations(body).stream().map(Violation::field).toList();
    }

    /** A general-form body: train step t, then the given steps, then the policy. */
    private static String general(String steps, String policy) {
        return "{'steps':[{'id':'t','kind':'train','spec':" + TRAIN + "}" + steps + "]"
                + (policy == null ? "" : ",'policy':" + policy) + "}";
    }

    private static String evaluate(String id, String extra) {
        return ",{'id':'" + id + "','kind':'evaluate','spec':{'modelId':'sd15','datasetId':'alice'}" + extra + "}";
    }

    @Test
    void templateExpandsToTrainThenEvaluateEveryCheckpointWithTheTrainingsModelAndDataset() throws Exception {
        WorkflowSpec spec = parse("{'template':'train-then-evaluate','train':" + TRAIN
                + ",'evaluation':{'prompts':['a','b','c'],'seed':7,'steps':12,'guidance':5.5,'scheduler':'ddim'}}");

        assertThat(spec.template()).isEqualTo("train-then-evaluate");
        assertThat(spec.steps()).extracting(StepSpec::id).containsExactly("train", "evaluate");
        assertThat(((TrainSpec) spec.steps().get(0).spec()).steps()).isEqualTo(30);
        StepSpec evaluate = spec.steps().get(1);
        assertThat(evaluate.dependsOn()).containsExactly("train");
        assertThat(evaluate.forEach()).isEqualTo("checkpoints of train");
        assertThat(evaluate.forEachStep()).isEqualTo("train");
        EvaluateSpec e = (EvaluateSpec) evaluate.spec();
        assertThat(e.modelId()).isEqualTo("sd15");
        assertThat(e.datasetId()).isEqualTo("alice");
        assertThat(e.lora()).as("the scheduler fills in each checkpoint").isNull();
        assertThat(e.sampling().prompts()).containsExactly("a", "b", "c");
        assertThat(e.sampling().seed()).isEqualTo(7L);
        assertThat(e.sampling().steps()).isEqualTo(12);
        assertThat(e.sampling().guidance()).isEqualTo(5.5);
        assertThat(e.sampling().scheduler()).isEqualTo("ddim");
        assertThat(spec.policy().parsedObjective()).isEqualTo(Objective.FACE_DISTANCE);
        assertThat(spec.roots()).extracting(StepSpec::id).containsExactly("train");
    }

    @Test
    void templateEvaluatesTheHomeworkPromptsByDefaultAndTheFinalGenerateUsesTheBestCheckpoint() throws Exception {
        WorkflowSpec spec = parse("{'template':'train-then-evaluate','train':" + TRAIN + ",'generate':{'seed':3}}");

        EvaluateSpec e = (EvaluateSpec) spec.step("evaluate").orElseThrow().spec();
        assertThat(e.sampling().prompts()).isEqualTo(ValidationPrompts.defaults()).hasSize(25);
        StepSpec generate = spec.step("generate").orElseThrow();
        assertThat(generate.kind()).isEqualTo(JobKind.GENERATE);
        assertThat(generate.dependsOn()).containsExactly("evaluate");
        assertThat(generate.bestOf()).isEqualTo("train");
        GenerateSpec g = (GenerateSpec) generate.spec();
        assertThat(g.modelId()).isEqualTo("sd15");
        assertThat(g.sampling().prompts()).isEqualTo(ValidationPrompts.defaults());
        assertThat(g.sampling().seed()).isEqualTo(3L);
    }

    @Test
    void templateWithoutGenerateHasNoFinalStep() throws Exception {
        assertThat(parse("{'template':'train-then-evaluate','train':" + TRAIN + "}").step("generate")).isEmpty();
    }

    @Test
    void expandedSpecSurvivesAJsonRoundTrip() throws Exception {
        WorkflowSpec spec = parse("{'template':'train-then-evaluate','train':" + TRAIN
                + ",'generate':{},'policy':{'objective':'weighted','weights':{'clip_score':2,'face_distance':1},"
                + "'constraints':{'maxFaceless':2}}}");

        WorkflowSpec back = mapper.readValue(mapper.writeValueAsString(spec), WorkflowSpec.class);
        JsonNode stored = mapper.valueToTree(spec);
        List<String> stepFields = new ArrayList<>();
        stored.get("steps").get(0).fieldNames().forEachRemaining(stepFields::add);
        assertThat(stepFields).as("derived accessors are not stored")
                .containsExactlyInAnyOrder("id", "spec", "dependsOn", "forEach", "bestOf");
        assertThat(stored.get("steps").get(1).get("spec").get("kind").asText()).isEqualTo("evaluate");

        assertThat(back).isEqualTo(spec);
        assertThat(back.policy().constraints().maxFaceless()).isEqualTo(2);
    }

    @Test
    void templateNamesTheTrainSpecsOwnViolationsAndBadEvaluationSettingsUnderTheirRequestFields() throws Exception {
        assertThat(fields("{'template':'train-then-evaluate','train':{'modelId':'sd15','datasetId':'alice','steps':0,"
                + "'lora':{'rank':0}},'evaluation':{'guidance':99},'generate':{'width':65}}"))
                .containsExactlyInAnyOrder("train.steps", "train.lora.rank", "evaluation.guidance", "generate.width");
        assertThat(fields("{'template':'train-then-evaluate','train':{'datasetId':'alice'},'evaluation':{'steps':0}}"))
                .containsExactlyInAnyOrder("train.modelId", "evaluation.steps");
        assertThat(fields("{'template':'train-then-evaluate'}")).containsExactly("train");
        assertThat(fields("{'template':'train-then-evaluate','train':" + TRAIN + ",'evaluation':{'sed':1},'extra':1}"))
                .containsExactlyInAnyOrder("evaluation.sed", "extra");
    }

    @Test
    void unknownTemplateIsNamed() throws Exception {
        assertThat(violations("{'template':'train-forever'}")).singleElement()
                .satisfies(v -> assertThat(v.field()).isEqualTo("template"))
                .satisfies(v -> assertThat(v.message()).contains("train-forever", "train-then-evaluate"));
    }

    @Test
    void generalFormKeepsStepsAsWritten() throws Exception {
        WorkflowSpec spec = parse(general(evaluate("e", ",'dependsOn':['t'],'forEach':'checkpoints of t'")
                + ",{'id':'g','kind':'generate','spec':{'modelId':'sd15','sampling':{'prompts':['x']}},"
                + "'dependsOn':['e'],'bestOf':'t'}", "{'objective':'clip_score'}"));

        assertThat(spec.template()).isNull();
        assertThat(spec.steps()).extracting(StepSpec::id).containsExactly("t", "e", "g");
        assertThat(spec.steps()).extracting(StepSpec::kind).containsExactly(JobKind.TRAIN, JobKind.EVALUATE, JobKind.GENERATE);
        assertThat(spec.step("e").orElseThrow().forEachStep()).isEqualTo("t");
        assertThat(spec.policy().parsedObjective()).isEqualTo(Objective.CLIP_SCORE);
    }

    @Test
    void aPlainStepWaitingOnOthersNextToCheckpointStepsIsRefusedInsteadOfNeverStarting() throws Exception {
        String forEach = evaluate("e", ",'dependsOn':['t'],'forEach':'checkpoints of t'");
        String plainGenerate = ",{'id':'g','kind':'generate','spec':{'modelId':'sd15','sampling':{'prompts':['x']}},"
                + "'dependsOn':['e']}";
        assertThat(violations(general(forEach + plainGenerate, null))).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("steps[2]");
            assertThat(v.message()).contains("a plain generate step is not supported");
        });
        String secondTrain = ",{'id':'t2','kind':'train','spec':" + TRAIN + "}";
        assertThat(fields(general(forEach + secondTrain, null))).containsExactly("steps[0]", "steps[2]");
        assertThat(parse(general(plainGenerate.replace("'e'", "'t'"), null)).steps()).as("plain steps alone are fine").hasSize(2);
    }

    @Test
    void cycleIsNamedWithItsPath() throws Exception {
        List<Violation> found = violations("{'steps':["
                + "{'id':'a','kind':'train','spec':" + TRAIN + ",'dependsOn':['c']}"
                + evaluate("b", ",'dependsOn':['a']") + evaluate("c", ",'dependsOn':['b']") + "]}");

        assertThat(found).singleElement().satisfies(v -> {
            assertThat(v.field()).matches("steps\\[\\d]\\.dependsOn");
            assertThat(v.message()).contains("cycle").contains("a").contains("b").contains("c");
        });
    }

    @Test
    void selfDependencyIsRefused() throws Exception {
        assertThat(fields(general(evaluate("e", ",'dependsOn':['e']"), null))).containsExactly("steps[1].dependsOn[0]");
    }

    @Test
    void unknownDependsOnIsNamedWithItsIndex() throws Exception {
        List<Violation> found = violations(general(evaluate("e", ",'dependsOn':['t','trian']"), null));

        assertThat(found).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("steps[1].dependsOn[1]");
            assertThat(v.message()).contains("unknown step 'trian'");
        });
    }

    @Test
    void duplicateStepIdIsNamed() throws Exception {
        assertThat(fields(general(evaluate("t", ""), null))).containsExactly("steps[1].id");
        assertThat(fields(general(evaluate("bad id!", ""), null))).containsExactly("steps[1].id");
    }

    @Test
    void forEachMustNameAnUpstreamTrainStep() throws Exception {
        assertThat(violations(general(evaluate("e", ",'dependsOn':['t'],'forEach':'checkpoints of x'"), null)))
                .singleElement().satisfies(v -> assertThat(v.message()).contains("unknown step 'x'"))
                .extracting(Violation::field).isEqualTo("steps[1].forEach");
        assertThat(violations(general(evaluate("e", ",'dependsOn':['t']")
                + evaluate("f", ",'dependsOn':['e'],'forEach':'checkpoints of e'"), null)))
                .filteredOn(v -> v.field().equals("steps[2].forEach"))
                .singleElement().satisfies(v -> assertThat(v.message()).contains("only a train step has checkpoints"));
        assertThat(fields(general(evaluate("e", ",'forEach':'checkpoints of t'"), null))).containsExactly("steps[1].forEach");
        assertThat(fields(general(evaluate("e", ",'dependsOn':['t'],'forEach':'every t'"), null))).containsExactly("steps[1].forEach");
        assertThat(fields(general(evaluate("e", ",'dependsOn':['t'],'bestOf':'e'"), null))).containsExactly("steps[1].bestOf");
    }

    @Test
    void aStepTheWorkflowGivesACheckpointMustNotNameItsOwnLora() throws Exception {
        String lora = ",{'id':'e','kind':'evaluate','spec':{'modelId':'sd15','datasetId':'alice',"
                + "'lora':{'jobId':'x1','step':10}},'dependsOn':['t'],";
        assertThat(fields(general(lora + "'forEach':'checkpoints of t'}", null))).containsExactly("steps[1].spec.lora");
        assertThat(fields(general(lora + "'bestOf':'t'}", null))).containsExactly("steps[1].spec.lora");
        assertThat(fields(general(evaluate("e", ",'dependsOn':['t'],'forEach':'checkpoints of t','bestOf':'t'"), null)))
                .containsExactly("steps[1].bestOf");
    }

    @Test
    void stepSpecsAreCheckedByTheJobRulesUnderTheirStepPath() throws Exception {
        assertThat(fields(general(",{'id':'e','kind':'evaluate','spec':{'modelId':'sd15'}}"
                + ",{'id':'x','kind':'paint','spec':{}},{'id':'y','kind':'train','spec':" + TRAIN + ",'after':1}", null)))
                .containsExactlyInAnyOrder("steps[1].spec.datasetId", "steps[2].kind", "steps[3].after");
        assertThat(fields("{'steps':[]}")).containsExactly("steps");
        assertThat(fields("{'policy':{}}")).containsExactly("steps");
    }

    @Test
    void unknownObjectiveIsNamed() throws Exception {
        assertThat(violations(general("", "{'objective':'sharpness'}"))).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("policy.objective");
            assertThat(v.message()).contains("sharpness", "face_distance", "clip_score", "clip_score_all_images",
                    "weighted");
        });
    }

    @Test
    void clipScoreOverAllImagesIsAnObjectiveAndAWeight() throws Exception {
        assertThat(parse(general("", "{'objective':'clip_score_all_images'}")).policy().parsedObjective())
                .isEqualTo(Objective.CLIP_SCORE_ALL_IMAGES);
        WorkflowSpec weighted = parse(general("", "{'objective':'weighted','weights':{'clip_score_all_images':1,"
                + "'face_distance':0}}"));
        assertThat(weighted.policy().weights()).containsEntry("clip_score_all_images", 1.0);
    }

    @Test
    void unknownWeightNamesEverySingleObjective() throws Exception {
        assertThat(violations(general("", "{'objective':'weighted','weights':{'weighted':1,'clip_score':1}}")))
                .singleElement().satisfies(v -> {
                    assertThat(v.field()).isEqualTo("policy.weights.weighted");
                    assertThat(v.message()).contains("face_distance, clip_score, clip_score_all_images")
                            .doesNotContain("weighted");
                });
    }

    @Test
    void negativeWeightsAndConstraintsAreRefused() throws Exception {
        assertThat(fields(general("", "{'objective':'weighted','weights':{'clip_score':-1,'face_distance':1,"
                + "'beauty':1},'constraints':{'maxFaceless':-2}}")))
                .containsExactlyInAnyOrder("policy.weights.clip_score", "policy.weights.beauty",
                        "policy.constraints.maxFaceless");
        assertThat(fields(general("", "{'objective':'weighted'}"))).containsExactly("policy.weights");
        assertThat(fields(general("", "{'constraints':{'minFaces':1}}"))).containsExactly("policy.constraints.minFaces");
    }

    @Test
    void requireValidThrowsForAnInvalidSpecBuiltInCode() {
        WorkflowSpec cyclic = new WorkflowSpec(null, List.of(
                new StepSpec("a", TrainSpec.lora("sd15", "alice"), List.of("b"), null, null),
                new StepSpec("b", TrainSpec.lora("sd15", "alice"), List.of("a"), null, null)), null);

        assertThatThrownBy(() -> WorkflowValidator.requireValid(cyclic))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("cycle");
    }
}
