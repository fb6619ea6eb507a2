package dev.tuneforge.api.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.List;
import java.util.Map;

/** Checks that an answer is an RFC 9457 problem, and which fields it names. */
public final class ProblemAssertions {
    private ProblemAssertions() {
    }

    public static Response assertProblem(Response response, int status) {
        assertThat(response.statusCode()).as("status of %s", response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        Map<String, Object> body = response.jsonPath().getMap("");
        assertThat(body).containsKeys("type", "title", "status", "detail", "instance");
        assertThat(body.get("status")).isEqualTo(status);
        assertThat((String) body.get("type")).isNotBlank();
        assertThat((String) body.get("title")).isNotBlank();
        assertThat((String) body.get("detail")).isNotBlank();
        return response;
    }

    /** A 400 whose {@code errors} name {@code field}; returns that error's message. */
    public static String assertFieldError(Response response, String field) {
        assertProblem(response, 400);
        List<Map<String, String>> errors = response.jsonPath().getList("errors");
        assertThat(errors).as("errors of %s", response.asString())
                .anySatisfy(e -> assertThat(e.get("field")).isEqualTo(field));
        return errors.stream().filter(e -> field.equals(e.get("field"))).findFirst().orElseThrow().get("message");
    }
}
