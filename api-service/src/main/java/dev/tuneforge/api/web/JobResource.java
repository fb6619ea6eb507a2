package dev.tuneforge.api.web;

import dev.tuneforge.api.auth.CallerContext;
import dev.tuneforge.api.config.ApiConfig;
import dev.tuneforge.api.jobs.JobCancellation;
import dev.tuneforge.api.jobs.JobCancellation.Cancellation;
import dev.tuneforge.api.jobs.JobNotFoundException;
import dev.tuneforge.api.jobs.JobQueries;
import dev.tuneforge.api.jobs.JobSubmission;
import dev.tuneforge.api.jobs.JobSubmission.Submission;
import dev.tuneforge.api.persistence.JobEntity;
import dev.tuneforge.api.persistence.JobEventEntity;
import dev.tuneforge.api.persistence.JobPosition;
import dev.tuneforge.common.jobs.JobKind;
import dev.tuneforge.common.jobs.JobStatus;
import dev.tuneforge.common.jobs.Violation;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Jobs: submit, read, list, audit trail, cancel. Every call is scoped to the API key's tenant. */
@Path(JobResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
@SecurityRequirement(name = ApiApplication.BEARER)
@APIResponse(responseCode = "401", description = "Missing, unknown or revoked API key",
        content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class JobResource {
    static final String PATH = "/api/v1/jobs";
    private static final int MAX_EVENTS_PAGE = 1000;

    private final JobSubmission submission;
    private final JobCancellation cancellation;
    private final JobQueries queries;
    private final JobViewMapper views;
    private final CallerContext caller;
    private final ApiConfig config;

    JobResource(JobSubmission submission, JobCancellation cancellation, JobQueries queries, JobViewMapper views,
            CallerContext caller, ApiConfig config) {
        this.submission = submission;
        this.cancellation = cancellation;
        this.queries = queries;
        this.views = views;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job", description = "Validates the spec and queues the job. With an "
            + "Idempotency-Key, repeating the same request returns the same job (200) instead of a new one.")
    @APIResponse(responseCode = "202", description = "Accepted; Location points at the job",
            content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "200", description = "Replay of an earlier request with the same Idempotency-Key",
            content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, unknown kind or invalid spec fields",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The spec names a model, dataset or LoRA job the tenant does "
            + "not have; 'errors' names the field (spec.modelId, spec.datasetId, spec.lora.jobId)",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Idempotency-Key reused with a different body",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body over the size limit",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response submit(
            @Parameter(description = "Client-chosen key that makes retries of this request safe")
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
            SubmitJobRequest request) {
        if (request == null) {
            throw new InvalidRequestException(new Violation("body", "required: {\"kind\": ..., \"spec\": {...}}"));
        }
        Submission result = submission.submit(caller.current(), request.kind(), request.spec(),
                IdempotencyKeys.checked(idempotencyKey, config));
        return Response.status(result.created() ? Response.Status.ACCEPTED : Response.Status.OK)
                .location(location(result.job()))
                .entity(views.view(result.job()))
                .build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get a job")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "404", description = "No such job for this tenant",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public JobView get(@PathParam("id") String id) {
        UUID jobId = jobId(id);
        return views.view(queries.get(caller.current(), jobId), queries.checkpoints(caller.current(), jobId));
    }

    @GET
    @Operation(summary = "List jobs", description = "Newest first; follow 'next' for older jobs.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = JobPage.class)))
    @APIResponse(responseCode = "400", description = "Unknown status or kind, bad limit or cursor",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public JobPage list(
            @Parameter(description = "Only jobs in this status") @QueryParam("status") String status,
            @Parameter(description = "Only jobs of this kind") @QueryParam("kind") String kind,
            @Parameter(description = "Page size") @QueryParam("limit") String limit,
            @Parameter(description = "The 'next' of the previous page") @QueryParam("cursor") String cursor) {
        int size = QueryParams.intParam("limit", limit, config.jobs().defaultPageSize(), 1, config.jobs().maxPageSize());
        JobPosition after = cursor == null || cursor.isBlank() ? null : PageCursor.decode(cursor);
        List<JobEntity> rows = queries.list(caller.current(), status(status), kind(kind), after, size + 1);
        boolean more = rows.size() > size;
        List<JobEntity> page = more ? rows.subList(0, size) : rows;
        String next = more ? PageCursor.encode(position(page.get(page.size() - 1))) : null;
        return new JobPage(page.stream().map(views::view).toList(), next);
    }

    @GET
    @Path("{id}/events")
    @Operation(summary = "A job's audit trail", description = "Every event recorded for the job, in order: "
            + "the API's own entries (submission, cancel; with a cause) and the workers' events as the scheduler "
            + "recorded them, including events of stale attempts (flagged).")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = JobEventPage.class)))
    @APIResponse(responseCode = "404", description = "No such job for this tenant",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public JobEventPage events(
            @PathParam("id") String id,
            @Parameter(description = "Only events after this seq (the 'next' of the previous slice)")
            @QueryParam("after") String after,
            @Parameter(description = "Most events returned") @QueryParam("limit") String limit) {
        long afterSeq = QueryParams.intParam("after", after, 0, 0, Integer.MAX_VALUE);
        int size = QueryParams.intParam("limit", limit, MAX_EVENTS_PAGE, 1, MAX_EVENTS_PAGE);
        List<JobEventEntity> events = queries.events(caller.current(), jobId(id), afterSeq, size);
        Long next = events.size() == size ? events.get(events.size() - 1).seq : null;
        return new JobEventPage(events.stream().map(views::view).toList(), next);
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel a job", description = "A job no worker has taken yet is cancelled at once "
            + "(200); a running job is asked to stop (202) and becomes CANCELLED when its worker confirms.")
    @APIResponse(responseCode = "200", description = "Cancelled",
            content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "202", description = "Cancel requested from the worker",
            content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "404", description = "No such job for this tenant",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The job already ended",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response cancel(@PathParam("id") String id) {
        Cancellation result = cancellation.cancel(caller.current(), jobId(id));
        return Response.status(result.immediate() ? Response.Status.OK : Response.Status.ACCEPTED)
                .entity(views.view(result.job()))
                .build();
    }

    private static URI location(JobEntity job) {
        return URI.create(PATH + "/" + job.id);
    }

    private static JobPosition position(JobEntity job) {
        return new JobPosition(job.createdAt, job.id);
    }

    /** A malformed id cannot name a job, so it is answered like an unknown one. */
    private static UUID jobId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new JobNotFoundException(id);
        }
    }


    private static JobStatus status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return JobStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(new Violation("status", "unknown status '" + status + "'; one of "
                    + Arrays.stream(JobStatus.values()).map(Enum::name).collect(Collectors.joining(", "))));
        }
    }

    private static JobKind kind(String kind) {
        if (kind == null || kind.isBlank()) {
            return null;
        }
        return JobKind.find(kind.trim().toLowerCase(Locale.ROOT)).orElseThrow(() -> new InvalidRequestException(
                new Violation("kind", "unknown job kind '" + kind + "'; one of " + JobKind.wireNames())));
    }
}
