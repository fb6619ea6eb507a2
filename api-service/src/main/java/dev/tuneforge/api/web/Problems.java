package dev.tuneforge.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.jobs.Violation;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * Builds problem+json answers. The body is serialised here, to bytes, so the same JSON comes out of
 * the JAX-RS exception mappers and the Vert.x route that rejects oversized bodies, whatever the
 * client's Accept header says.
 */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper MAPPER = EventCodec.newMapper();

    private Problems() {
    }

    static Problem of(ProblemType type, String detail, String instance) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, null, Map.of());
    }

    static Problem of(ProblemType type, String detail, String instance, Map<String, Object> extensions) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, null, extensions);
    }

    /** A bad request naming each offending field; the detail summarises them. */
    static Problem invalid(ProblemType type, String instance, List<Violation> violations) {
        String detail = violations.size() == 1
                ? "Invalid field " + violations.get(0)
                : violations.size() + " invalid fields: " + violations.stream().map(Violation::field).toList();
        return withErrors(type, detail, instance, violations);
    }

    static Problem withErrors(ProblemType type, String detail, String instance, List<Violation> violations) {
        List<Problem.FieldError> errors = violations.stream()
                .map(v -> new Problem.FieldError(v.field(), v.message()))
                .toList();
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, errors, Map.of());
    }

    static Problem http(int status, String detail, String instance) {
        return new Problem(ProblemType.BLANK, ProblemType.httpTitle(status), status, detail, instance, null, Map.of());
    }

    static byte[] json(Problem problem) {
        try {
            return MAPPER.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a problem", e);
        }
    }

    static Response.ResponseBuilder response(Problem problem) {
        return Response.status(problem.status()).type(MEDIA_TYPE).entity(json(problem));
    }
}
