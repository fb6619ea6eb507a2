package dev.tuneforge.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.api.auth.CallerContext;
import dev.tuneforge.api.config.ApiConfig;
import dev.tuneforge.api.jobs.IdempotentCreation;
import dev.tuneforge.api.persistence.JobPosition;
import dev.tuneforge.api.workflows.WorkflowCancellation;
import dev.tuneforge.api.workflows.WorkflowNotFoundException;
import dev.tuneforge.api.workflows.WorkflowQueries;
import dev.tuneforge.api.workflows.WorkflowSubmission;
import dev.tuneforge.api.workflows.WorkflowSummary;
import dev.tuneforge.api.workflows.WorkflowView;
import dev.tuneforge.common.jobs.Violation;
import dev.tuneforge.common.workflows.WorkflowStatus;
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
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Workflows: a train-then-evaluate template or a general DAG of job steps, driven by the scheduler. */
@Path(WorkflowResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowResource {
    static final String PATH = "/api/v1/workflows";

    private final WorkflowSubmission submission;
    private final WorkflowQueries queries;
    private final WorkflowCancellation cancellation;
    private final CallerContext caller;
    private final ApiConfig config;

    WorkflowResource(WorkflowSubmission submission, WorkflowQueries queries, WorkflowCancellation cancellation,
            CallerContext caller, ApiConfig config) {
        this.submission = submission;
        this.queries = queries;
        this.cancellation = cancellation;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a workflow", description = "Either {\"template\": \"train-then-evaluate\", \"train\", "
            + "\"evaluation\", \"policy\", \"generate\"} or {\"steps\": [{id, kind, spec, dependsOn, forEach, bestOf}], "
            + "\"policy\"}. Writes the workflow, its steps and the jobs of its first steps in one transaction.")
    @APIResponse(responseCode = "202", description = "Accepted; Location points at the workflow",
            content = @Content(schema = @Schema(implementation = WorkflowView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON or invalid fields (a cycle, an unknown "
            + "dependsOn step, an unknown objective, the train spec's own violations); 'errors' names each field",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A step names a model or dataset the tenant does not have",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", description = "Replay of an earlier request with the same Idempotency-Key",
            content = @Content(schema = @Schema(implementation = WorkflowView.class)))
    @APIResponse(responseCode = "409", description = "Idempotency-Key reused with a different body",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response submit(@Parameter(description = "Optional; the same key and body return the same workflow")
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey, JsonNode body) {
        if (body == null || body.isNull()) {
            throw new InvalidRequestException(new Violation("body", "required: a workflow object"));
        }
        IdempotentCreation.Outcome<UUID> result = submission.submit(caller.current(), body,
                IdempotencyKeys.checked(idempotencyKey, config));
        UUID id = result.value();
        return Response.status(result.created() ? Response.Status.ACCEPTED : Response.Status.OK)
                .entity(queries.get(caller.current(), id)).location(URI.create(PATH + "/" + id)).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get a workflow: steps and states, the per-checkpoint metrics, the ranking and the best")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = WorkflowView.class)))
    @APIResponse(responseCode = "404", description = "No such workflow for this tenant",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public WorkflowView get(@PathParam("id") String id) {
        return queries.get(caller.current(), workflowId(id));
    }

    @GET
    @Operation(summary = "List workflows", description = "Newest first; follow 'next' for older workflows.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = WorkflowPage.class)))
    @APIResponse(responseCode = "400", description = "Unknown status, bad limit or cursor",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public WorkflowPage list(
            @Parameter(description = "Only workflows in this status") @QueryParam("status") String status,
            @Parameter(description = "Page size") @QueryParam("limit") String limit,
            @Parameter(description = "The 'next' of the previous page") @QueryParam("cursor") String cursor) {
        int size = QueryParams.intParam("limit", limit, config.jobs().defaultPageSize(), 1, config.jobs().maxPageSize());
        // Workflows page on the same (created_at, uuid) key as jobs, so they share its cursor.
        JobPosition after = cursor == null || cursor.isBlank() ? null : PageCursor.decode(cursor);
        List<WorkflowSummary> rows = queries.list(caller.current(), status(status),
                after == null ? null : after.createdAt(), after == null ? null : after.id(), size + 1);
        boolean more = rows.size() > size;
        List<WorkflowSummary> page = more ? rows.subList(0, size) : rows;
        WorkflowSummary last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new WorkflowPage(page, more ? PageCursor.encode(new JobPosition(last.createdAt(), last.id())) : null);
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel a workflow", description = "Cancels every job of it that has not ended (as "
            + "POST /api/v1/jobs/{id}/cancel does) and starts no further step; what already ran is kept. 200 when "
            + "every job ended at once, 202 when a worker was asked to stop a running one.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = WorkflowView.class)))
    @APIResponse(responseCode = "202", content = @Content(schema = @Schema(implementation = WorkflowView.class)))
    @APIResponse(responseCode = "404", description = "No such workflow for this tenant",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The workflow already ended",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response cancel(@PathParam("id") String id) {
        UUID workflow = workflowId(id);
        boolean immediate = cancellation.cancel(caller.current(), workflow);
        return Response.status(immediate ? Response.Status.OK : Response.Status.ACCEPTED)
                .entity(queries.get(caller.current(), workflow)).build();
    }

    private static String status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        if (Arrays.stream(WorkflowStatus.values()).noneMatch(s -> s.name().equals(status))) {
            throw new InvalidRequestException(new Violation("status", "unknown workflow status '" + status + "'; one of "
                    + Arrays.toString(WorkflowStatus.values())));
        }
        return status;
    }

    private static UUID workflowId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new WorkflowNotFoundException(id);
        }
    }
}
