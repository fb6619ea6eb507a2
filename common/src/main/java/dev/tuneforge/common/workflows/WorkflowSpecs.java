package dev.tuneforge.common.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.tuneforge.common.jobs.InvalidSpecException;
import dev.tuneforge.common.jobs.JobSpec;
import dev.tuneforge.common.jobs.JobSpecs;
import dev.tuneforge.common.jobs.SamplingSettings;
import dev.tuneforge.common.jobs.SpecValidator;
import dev.tuneforge.common.jobs.TrainSpec;
import dev.tuneforge.common.jobs.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a workflow request body into a validated, expanded {@link WorkflowSpec}, naming every bad
 * field by its path in the body: {@code train.steps}, {@code evaluation.guidance},
 * {@code steps[2].spec.modelId}, {@code steps[1].dependsOn[0]}, {@code policy.objective}.
 * Two forms: {@code {"template": "train-then-evaluate", "train", "evaluation", "policy", "generate"}}
 * and {@code {"steps": [{id, kind, spec, dependsOn, forEach, bestOf}], "policy"}}.
 */
public final class WorkflowSpecs {
    private static final Set<String> TEMPLATE_FIELDS = Set.of("template", "train", "evaluation", "policy", "generate");
    private static final Set<String> GENERAL_FIELDS = Set.of("steps", "policy");
    private static final String STAND_IN = "stand-in";
    private static final Set<String> STEP_FIELDS = Set.of("id", "kind", "spec", "dependsOn", "forEach", "bestOf");

    private final ObjectMapper strict;
    private final JobSpecs jobSpecs;

    public WorkflowSpecs(ObjectMapper mapper) {
        this.strict = mapper.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        this.jobSpecs = new JobSpecs(mapper);
    }

    public WorkflowSpec parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidSpecException(new Violation("body", "must be a JSON object"));
        }
        List<Violation> found = new ArrayList<>();
        WorkflowSpec spec = body.has("template") ? template(body, found) : general(body, found);
        if (spec != null) {
            found.addAll(WorkflowValidator.validate(spec));
        }
        if (!found.isEmpty()) {
            throw new InvalidSpecException(found);
        }
        return spec;
    }

    private WorkflowSpec template(JsonNode body, List<Violation> found) {
        unknownFields(body, TEMPLATE_FIELDS, "", found);
        String name = body.path("template").asText(null);
        if (!TrainThenEvaluate.NAME.equals(name)) {
            found.add(new Violation("template", "unknown template '" + name + "'; one of " + TrainThenEvaluate.NAME));
            return null;
        }
        TrainSpec train = (TrainSpec) job("train", "template", "train", body.get("train"), found);
        SamplingSettings evaluation = value(body.get("evaluation"), SamplingSettings.class, "evaluation", found);
        SamplingSettings generate = value(body.get("generate"), SamplingSettings.class, "generate", found);
        SelectionPolicy policy = value(body.get("policy"), SelectionPolicy.class, "policy", found);
        // The expanded steps' sampling settings are the request's evaluation and generate objects; they are
        // checked even when the train spec is invalid (a stand-in model and dataset), so one answer names both.
        WorkflowSpec expanded = new TrainThenEvaluate(train != null ? train : TrainSpec.lora(STAND_IN, STAND_IN),
                evaluation, policy, generate).expand();
        samplingOf(expanded, TrainThenEvaluate.EVALUATE, "evaluation", found);
        samplingOf(expanded, TrainThenEvaluate.GENERATE, "generate", found);
        return found.isEmpty() ? expanded : null;
    }

    private static void samplingOf(WorkflowSpec expanded, String stepId, String field, List<Violation> found) {
        expanded.step(stepId).ifPresent(step -> SpecValidator.validate(step.spec()).stream()
                .filter(v -> v.field().startsWith("spec.sampling"))
                .forEach(v -> found.add(rename(v, "spec.sampling", field))));
    }

    private WorkflowSpec general(JsonNode body, List<Violation> found) {
        unknownFields(body, GENERAL_FIELDS, "", found);
        JsonNode steps = body.get("steps");
        if (steps == null || !steps.isArray()) {
            found.add(new Violation("steps", "required: an array of steps, or use \"template\""));
            return null;
        }
        List<StepSpec> parsed = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            StepSpec step = step(steps.get(i), "steps[" + i + "]", found);
            if (step != null) {
                parsed.add(step);
            }
        }
        SelectionPolicy policy = value(body.get("policy"), SelectionPolicy.class, "policy", found);
        return found.isEmpty() ? new WorkflowSpec(null, parsed, policy) : null;
    }

    private StepSpec step(JsonNode node, String path, List<Violation> found) {
        if (!node.isObject()) {
            found.add(new Violation(path, "must be a JSON object"));
            return null;
        }
        int before = found.size();
        unknownFields(node, STEP_FIELDS, path + ".", found);
        String id = text(node, "id", path, found);
        String forEach = text(node, "forEach", path, found);
        String bestOf = text(node, "bestOf", path, found);
        List<String> dependsOn = dependsOn(node.get("dependsOn"), path + ".dependsOn", found);
        JobSpec spec = job(path + ".spec", path + ".kind", node.path("kind").asText(null), node.get("spec"), found);
        return found.size() == before ? new StepSpec(id, spec, dependsOn, forEach, bestOf) : null;
    }

    /** Parses and validates a job spec with common's job rules, renaming its paths to where it sits. */
    private JobSpec job(String specPath, String kindPath, String kind, JsonNode spec, List<Violation> found) {
        try {
            return jobSpecs.parse(kind, spec);
        } catch (InvalidSpecException e) {
            e.violations().forEach(v -> found.add(v.field().equals("kind")
                    ? new Violation(kindPath, v.message()) : rename(v, "spec", specPath)));
            return null;
        }
    }

    private <T> T value(JsonNode node, Class<T> type, String path, List<Violation> found) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return strict.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            found.add(new Violation(path(path, e), "unknown field"));
        } catch (JsonMappingException e) {
            found.add(new Violation(path(path, e), "invalid value: " + e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            found.add(new Violation(path, "invalid JSON: " + e.getOriginalMessage()));
        }
        return null;
    }

    private static List<String> dependsOn(JsonNode node, String path, List<Violation> found) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            found.add(new Violation(path, "must be an array of step ids"));
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (node.get(i).isTextual()) {
                ids.add(node.get(i).asText());
            } else {
                found.add(new Violation(path + "[" + i + "]", "must be a step id (a string)"));
            }
        }
        return ids;
    }

    private static String text(JsonNode node, String field, String path, List<Violation> found) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            found.add(new Violation(path + "." + field, "must be a string"));
            return null;
        }
        return value.asText();
    }

    private static void unknownFields(JsonNode node, Set<String> allowed, String prefix, List<Violation> found) {
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                found.add(new Violation(prefix + name, "unknown field"));
            }
        });
    }

    private static Violation rename(Violation v, String from, String to) {
        return v.field().startsWith(from) ? new Violation(to + v.field().substring(from.length()), v.message()) : v;
    }

    private static String path(String root, JsonMappingException e) {
        return root + e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
    }
}
