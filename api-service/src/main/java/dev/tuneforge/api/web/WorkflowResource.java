package dev.tuneforge.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.api.auth.CallerContext;
import dev.tuneforge.api.workflows.WorkflowNotFoundException;
import dev.tuneforge.api.workflows.WorkflowQueries;
import dev.tuneforge.api.workflows.WorkflowSubmission;
import dev.tuneforge.api.workflows.WorkflowView;
import dev.tuneforge.common.jobs.Violation;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Workflows: a train-then-evaluate template or a general DAG of job steps, driven by the scheduler. */
@Path(WorkflowResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowResource {
    static final String PATH = "/api/v1/workflows";

    private final WorkflowSubmission submission;
    private final WorkflowQueries queries;
    private final CallerContext caller;

    WorkflowResource(WorkflowSubmission submission, WorkflowQueries queries, CallerContext caller) {
        this.submission = submission;
        this.queries = queries;
        this.caller = caller;
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
    public Response submit(JsonNode body) {
        if (body == null || body.isNull()) {
            throw new InvalidRequestException(new Violation("body", "required: a workflow object"));
        }
        UUID id = submission.submit(caller.current(), body);
        return Response.accepted(queries.get(caller.current(), id)).location(URI.create(PATH + "/" + id)).build();
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

    private static UUID workflowId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new WorkflowNotFoundException(id);
        }
    }
}
