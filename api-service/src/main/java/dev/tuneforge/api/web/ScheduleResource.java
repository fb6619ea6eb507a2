package dev.tuneforge.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneforge.api.auth.CallerContext;
import dev.tuneforge.api.config.ApiConfig;
import dev.tuneforge.api.persistence.JobPosition;
import dev.tuneforge.api.schedules.ScheduleCatalog;
import dev.tuneforge.api.schedules.ScheduleNotFoundException;
import dev.tuneforge.api.schedules.ScheduleView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Cron schedules that start a workflow per tick; the scheduler fires them, the API only stores them. */
@Path(ScheduleResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class ScheduleResource {
    static final String PATH = "/api/v1/schedules";
    static final String MERGE_PATCH = "application/merge-patch+json";

    private final ScheduleCatalog schedules;
    private final CallerContext caller;
    private final ApiConfig config;

    ScheduleResource(ScheduleCatalog schedules, CallerContext caller, ApiConfig config) {
        this.schedules = schedules;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a schedule", description = "{name, cron (Quartz, 6-7 fields), timeZone (IANA, default "
            + "UTC), misfirePolicy (fire_once default | skip), enabled (default true), workflow (the body of POST "
            + "/api/v1/workflows, checked as that endpoint checks it)}")
    @APIResponse(responseCode = "201", description = "Created; Location points at the schedule",
            content = @Content(schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "400", description = "'errors' names each bad field: cron, timeZone, misfirePolicy, "
            + "workflow.…", content = @Content(mediaType = Problems.MEDIA_TYPE,
            schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The workflow names a model or dataset the tenant does not have",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(JsonNode body) {
        ScheduleView created = schedules.create(caller.current(), body);
        return Response.created(URI.create(PATH + "/" + created.id())).entity(created).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get a schedule with its next fire times and the workflows it started")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "404", description = "No such schedule for this tenant",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ScheduleView get(@PathParam("id") String id) {
        return schedules.get(caller.current(), scheduleId(id));
    }

    @GET
    @Operation(summary = "List schedules", description = "Newest first; follow 'next' for older schedules.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SchedulePage.class)))
    @APIResponse(responseCode = "400", description = "Bad limit or cursor",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public SchedulePage list(
            @Parameter(description = "Page size") @QueryParam("limit") String limit,
            @Parameter(description = "The 'next' of the previous page") @QueryParam("cursor") String cursor) {
        int size = QueryParams.intParam("limit", limit, config.jobs().defaultPageSize(), 1, config.jobs().maxPageSize());
        // Schedules page on the same (created_at, uuid) key as jobs, so they share its cursor.
        JobPosition after = cursor == null || cursor.isBlank() ? null : PageCursor.decode(cursor);
        List<ScheduleView> rows = schedules.list(caller.current(), after, size + 1);
        boolean more = rows.size() > size;
        List<ScheduleView> page = more ? rows.subList(0, size) : rows;
        ScheduleView last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new SchedulePage(page, more ? PageCursor.encode(new JobPosition(last.createdAt(), last.id())) : null);
    }

    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, MERGE_PATCH})
    @Operation(summary = "Enable or disable a schedule", description = "Body {\"enabled\": true|false}; nothing else "
            + "of a schedule changes (delete and re-create it).")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "400", description = "Anything but 'enabled' in the body",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such schedule for this tenant",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ScheduleView patch(@PathParam("id") String id, JsonNode body) {
        return schedules.setEnabled(caller.current(), scheduleId(id), body);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a schedule", description = "The workflows it started keep their history.")
    @APIResponse(responseCode = "204")
    @APIResponse(responseCode = "404", description = "No such schedule for this tenant",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@PathParam("id") String id) {
        schedules.delete(caller.current(), scheduleId(id));
        return Response.noContent().build();
    }

    private static UUID scheduleId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ScheduleNotFoundException(id);
        }
    }
}
