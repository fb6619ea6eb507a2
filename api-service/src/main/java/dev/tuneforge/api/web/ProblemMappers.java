package dev.tuneforge.api.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.tuneforge.api.assets.AssetExistsException;
import dev.tuneforge.api.assets.AssetInUseException;
import dev.tuneforge.api.assets.AssetNotFoundException;
import dev.tuneforge.api.assets.InvalidAssetRequestException;
import dev.tuneforge.api.assets.InvalidUploadException;
import dev.tuneforge.api.assets.UploadTooLargeException;
import dev.tuneforge.api.auth.UnauthenticatedException;
import dev.tuneforge.api.jobs.IdempotencyConflictException;
import dev.tuneforge.api.jobs.JobNotCancellableException;
import dev.tuneforge.api.jobs.JobNotFoundException;
import dev.tuneforge.api.jobs.UnknownReferenceException;
import dev.tuneforge.api.schedules.ScheduleNotFoundException;
import dev.tuneforge.storage.MissingObjectException;
import dev.tuneforge.storage.StorageException;
import dev.tuneforge.api.workflows.WorkflowNotCancellableException;
import dev.tuneforge.api.workflows.WorkflowNotFoundException;
import dev.tuneforge.common.jobs.InvalidSpecException;
import dev.tuneforge.common.jobs.Violation;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure of a JAX-RS request into problem+json: the API's own exceptions, Jackson's
 * parse errors, the HTTP errors Quarkus REST raises itself (no route, wrong method, wrong media
 * type) and anything unexpected (500, logged).
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String BODY = "body";

    private final AllowedMethods allowedMethods;

    ProblemMappers(AllowedMethods allowedMethods) {
        this.allowedMethods = allowedMethods;
    }

    @ServerExceptionMapper
    public Response invalidSpec(InvalidSpecException e, HttpServerRequest request) {
        return Problems.response(Problems.invalid(ProblemType.INVALID_REQUEST, request.path(), e.violations())).build();
    }

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e, HttpServerRequest request) {
        return Problems.response(Problems.invalid(ProblemType.INVALID_REQUEST, request.path(), e.violations())).build();
    }

    /** The body is JSON but does not fit the request shape: a wrong type or an unknown field. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, HttpServerRequest request) {
        String field = fieldPath(e);
        String message = e instanceof UnrecognizedPropertyException
                ? "unknown field; the body has 'kind' and 'spec'"
                : "invalid value: " + e.getOriginalMessage();
        return Problems.response(Problems.invalid(ProblemType.INVALID_REQUEST, request.path(),
                List.of(new Violation(field.isEmpty() ? BODY : field, message)))).build();
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthenticatedException e, HttpServerRequest request) {
        return Problems.response(Problems.of(ProblemType.UNAUTHENTICATED, e.getMessage(), request.path()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tuneforge\"")
                .build();
    }

    @ServerExceptionMapper
    public Response notFound(JobNotFoundException e, HttpServerRequest request) {
        return Problems.response(Problems.of(ProblemType.JOB_NOT_FOUND, e.getMessage(), request.path())).build();
    }

    @ServerExceptionMapper
    public Response idempotencyConflict(IdempotencyConflictException e, HttpServerRequest request) {
        return Problems.response(Problems.of(ProblemType.IDEMPOTENCY_CONFLICT, e.getMessage(), request.path(),
                Map.of(e.what() + "Id", e.existingId().toString()))).build();
    }

    @ServerExceptionMapper
    public Response notCancellable(JobNotCancellableException e, HttpServerRequest request) {
        return Problems.response(Problems.of(ProblemType.JOB_NOT_CANCELLABLE, e.getMessage(), request.path(),
                Map.of("jobStatus", e.status().name()))).build();
    }

    @ServerExceptionMapper
    public Response invalidAssetRequest(InvalidAssetRequestException e, HttpServerRequest request) {
        return Problems.response(Problems.invalid(ProblemType.INVALID_REQUEST, request.path(), e.violations())).build();
    }

    /** A refused upload names each offending file in the extension member {@code files: [{file, reason}]}. */
    @ServerExceptionMapper
    public Response invalidUpload(InvalidUploadException e, HttpServerRequest request) {
        return Problems.response(Problems.of(ProblemType.INVALID_UPLOAD, e.getMessage(), request.path(),
                Map.of("files", e.files()))).build();
    }

    @ServerExceptionMapper
    public Response uploadTooLarge(UploadTooLargeException e, HttpServerRequest request) {
        return Problems.response(Problems.of(ProblemType.PAYLOAD_TOO_LARGE, e.getMessage(), request.path())).build();
    }

    @ServerExceptionMapper
    public Response workflowNotFound(WorkflowNotFoundException e, HttpServerRequest request) {
        return Problems.response(Problems.of(ProblemType.NOT_FOUND, e.getMessage(), request.path())).build();
    }

    @ServerExceptionMapper
    public Response workflowNotCancellable(WorkflowNotCancellableException e, HttpServerRequest request) {
        return Problems.response(Problems.of(ProblemType.WORKFLOW_NOT_CANCELLABLE, e.getMessage(), request.path(),
                Map.of("workflowStatus", e.status()))).build();
    }

    @ServerExceptionMapper
    public Response scheduleNotFound(ScheduleNotFoundException e, HttpServerRequest request) {
        return Problems.response(Problems.of(ProblemType.NOT_FOUND, e.getMessage(), request.path())).build();
    }

    @ServerExceptionMapper
    public Response unknownReference(UnknownReferenceException e, HttpServerRequest request) {
        return Problems.response(Problems.withErrors(ProblemType.UNKNOWN_REFERENCE, e.getMessage(), request.path(),
                e.violations())).build();
    }

    @ServerExceptionMapper
    public Response assetNotFound(AssetNotFoundException e, HttpServerRequest request) {
        return Problems.response(Problems.of(ProblemType.NOT_FOUND, e.getMessage(), request.path())).build();
    }

    @ServerExceptionMapper
    public Response assetExists(AssetExistsException e, HttpServerRequest request) {
        return Problems.response(Problems.of(ProblemType.ALREADY_EXISTS, e.getMessage(), request.path())).build();
    }

    @ServerExceptionMapper
    public Response assetInUse(AssetInUseException e, HttpServerRequest request) {
        return Problems.response(Problems.of(ProblemType.IN_USE, e.getMessage(), request.path(),
                Map.of("jobIds", e.jobIds().stream().map(Object::toString).toList()))).build();
    }

    @ServerExceptionMapper
    public Response missingObject(MissingObjectException e, HttpServerRequest request) {
        return Problems.response(Problems.of(ProblemType.INVALID_UPLOAD, e.getMessage() + "; nothing was registered",
                request.path())).build();
    }

    @ServerExceptionMapper
    public Response storageUnavailable(StorageException e, HttpServerRequest request) {
        LOG.errorf(e, "%s %s: object store failed", request.method(), request.path());
        return Problems.response(Problems.of(ProblemType.STORAGE_UNAVAILABLE,
                "the object store did not answer; nothing was registered, try again", request.path())).build();
    }

    /** HTTP errors raised by Quarkus REST itself; a 400 caused by Jackson is a syntax error in the body. */
    @ServerExceptionMapper
    public Response http(WebApplicationException e, HttpServerRequest request) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json, request);
        }
        Response original = e.getResponse();
        int status = original.getStatus();
        if (e instanceof NotAllowedException) {
            Set<String> allowed = allowedMethods.at(request.path());
            return Problems.response(Problems.http(status, request.method() + " is not allowed on " + request.path()
                    + "; allowed: " + String.join(", ", allowed), request.path())).allow(allowed).build();
        }
        Response.ResponseBuilder answer = Problems.response(Problems.http(status, detail(e, request), request.path()));
        original.getHeaders().forEach((name, values) -> {
            if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) && !HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)) {
                values.forEach(value -> answer.header(name, value));
            }
        });
        return answer.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        LOG.errorf(e, "%s %s failed", request.method(), request.path());
        return Problems.response(Problems.of(ProblemType.INTERNAL_ERROR,
                "the request failed on the server; the error was logged", request.path())).build();
    }

    private static Response malformedJson(JsonProcessingException e, HttpServerRequest request) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        // Jackson names the (redacted) input source in its message; the position is what helps.
        String reason = e.getOriginalMessage().replaceAll("\\[Source: [^;]*; ", "[");
        return Problems.response(Problems.withErrors(ProblemType.MALFORMED_JSON,
                "The request body is not valid JSON" + where, request.path(),
                List.of(new Violation(BODY, "not valid JSON" + where + ": " + reason)))).build();
    }

    private static String detail(WebApplicationException e, HttpServerRequest request) {
        if (e instanceof NotSupportedException) {
            return "Content-Type '" + request.getHeader(HttpHeaders.CONTENT_TYPE)
                    + "' is not supported here; send application/json";
        }
        if (e.getResponse().getStatus() == Response.Status.NOT_FOUND.getStatusCode()) {
            return "no resource at " + request.path();
        }
        return e.getMessage();
    }

    private static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
