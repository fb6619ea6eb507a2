package dev.tuneforge.api.web;

import jakarta.ws.rs.core.Response;

/**
 * The kinds of problem the API reports. Plain HTTP failures (no route, wrong method or media type)
 * use {@code about:blank} with the status phrase as title, as RFC 9457 §4.2.1 recommends.
 */
public enum ProblemType {
    MALFORMED_JSON("malformed-json", "Malformed JSON", 400),
    INVALID_REQUEST("invalid-request", "Invalid request", 400),
    UNAUTHENTICATED("unauthenticated", "Authentication required", 401),
    JOB_NOT_FOUND("job-not-found", "Job not found", 404),
    NOT_FOUND("not-found", "Not found", 404),
    ALREADY_EXISTS("already-exists", "Already exists", 409),
    IN_USE("in-use", "In use by a job", 409),
    INVALID_UPLOAD("invalid-upload", "Upload refused", 422),
    UNKNOWN_REFERENCE("unknown-reference", "Unknown reference", 422),
    IDEMPOTENCY_CONFLICT("idempotency-conflict", "Idempotency-Key reused", 409),
    JOB_NOT_CANCELLABLE("job-not-cancellable", "Job already ended", 409),
    WORKFLOW_NOT_CANCELLABLE("workflow-not-cancellable", "Workflow already ended", 409),
    PAYLOAD_TOO_LARGE("payload-too-large", "Request body too large", 413),
    INTERNAL_ERROR("internal-error", "Internal server error", 500),
    STORAGE_UNAVAILABLE("storage-unavailable", "Object store unavailable", 503);

    static final String BLANK = "about:blank";
    private static final String PREFIX = "urn:tuneforge:problem:";

    private final String uri;
    private final String title;
    private final int status;

    ProblemType(String slug, String title, int status) {
        this.uri = PREFIX + slug;
        this.title = title;
        this.status = status;
    }

    public String uri() {
        return uri;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }

    /** Title of an {@code about:blank} problem: the HTTP reason phrase. */
    static String httpTitle(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "HTTP " + status;
    }
}
