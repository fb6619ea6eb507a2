package dev.tuneforge.common.jobs;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Collectors;

/**
 * Turns a job kind and a JSON spec (as a user sent it) into a validated {@link JobSpec}. Type errors
 * and unknown fields are reported with the field's path, like the validator's findings, so the API
 * can answer with one problem+json that names every offending field.
 */
public final class JobSpecs {
    private final ObjectMapper strict;

    public JobSpecs(ObjectMapper mapper) {
        this.strict = mapper.copy()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    public JobSpec parse(String kind, JsonNode spec) {
        if (kind == null || kind.isBlank()) {
            throw new InvalidSpecException(new Violation("kind", "required; one of " + JobKind.wireNames()));
        }
        JobKind jobKind = JobKind.find(kind).orElseThrow(() -> new InvalidSpecException(
                new Violation("kind", "unknown job kind '" + kind + "'; one of " + JobKind.wireNames())));
        if (spec == null || spec.isNull()) {
            throw new InvalidSpecException(new Violation("spec", "required"));
        }
        if (!spec.isObject()) {
            throw new InvalidSpecException(new Violation("spec", "must be a JSON object"));
        }
        ObjectNode typed = ((ObjectNode) spec.deepCopy()).put("kind", jobKind.wireName());
        JobSpec parsed;
        try {
            parsed = strict.treeToValue(typed, JobSpec.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidSpecException(new Violation(path(e), "unknown field"));
        } catch (JsonMappingException e) {
            throw new InvalidSpecException(new Violation(path(e), "invalid value: " + e.getOriginalMessage()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidSpecException(new Violation("spec", "invalid JSON: " + e.getOriginalMessage()));
        }
        return SpecValidator.requireValid(parsed);
    }

    private static String path(JsonMappingException e) {
        String inner = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
        return "spec" + inner;
    }
}
