package dev.tuneforge.api.web;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem detail, the body of every error answer ({@code application/problem+json}).
 * {@code errors} lists each offending field of a bad request; {@code extensions} adds members
 * such as the status of a job that cannot be cancelled.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance", "errors"})
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(
        @Schema(example = "urn:tuneforge:problem:invalid-request") String type,
        @Schema(example = "Invalid request") String title,
        @Schema(example = "400") int status,
        String detail,
        @Schema(description = "The request path") String instance,
        @Schema(description = "Each invalid field of a bad request") List<FieldError> errors,
        @JsonIgnore @Schema(hidden = true) Map<String, Object> extensions) {

    public record FieldError(@Schema(example = "spec.lora.rank") String field,
            @Schema(example = "must be positive, was 0") String message) {
    }

    @JsonAnyGetter
    Map<String, Object> extensionMembers() {
        return extensions;
    }
}
