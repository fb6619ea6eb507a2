package dev.tuneforge.api.web;

import dev.tuneforge.api.auth.CallerContext;
import dev.tuneforge.api.config.ApiConfig;
import dev.tuneforge.api.models.ModelCatalog;
import dev.tuneforge.api.persistence.ModelEntity;
import dev.tuneforge.common.jobs.Violation;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Base models in diffusers layout: register (zip upload or S3 prefix), list, get, delete. Scoped to the tenant. */
@Path(ModelResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models")
@SecurityRequirement(name = ApiApplication.BEARER)
@APIResponse(responseCode = "401", description = "Missing, unknown or revoked API key",
        content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class ModelResource {
    static final String PATH = "/api/v1/models";
    private static final String CHECKS = "model_index.json naming unet, vae, text_encoder, tokenizer and scheduler; "
            + "each component's config; tokenizer vocab.json and merges.txt; a readable *.safetensors per weighted "
            + "component. A missing component is a 422 naming it; nothing is stored unless everything passes.";

    private final ModelCatalog catalog;
    private final AssetViewMapper views;
    private final CallerContext caller;
    private final ApiConfig config;

    ModelResource(ModelCatalog catalog, AssetViewMapper views, CallerContext caller, ApiConfig config) {
        this.catalog = catalog;
        this.views = views;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Register a model from a zip", description = "Multipart field 'file': a zip of a diffusers "
            + "folder (model_index.json at its root or in one folder). Checked: " + CHECKS)
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = ModelView.class)))
    @APIResponse(responseCode = "422", description = "Not a usable model; 'files: [{file, reason}]' names each problem",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response upload(
            @Parameter(description = "Slug id; generated when absent") @RestForm("id") String id,
            @Parameter(description = "Display name; the id when absent") @RestForm("name") String name,
            @RestForm("file") FileUpload file) {
        if (file == null) {
            throw new InvalidRequestException(new Violation("file", "required: a zip of the model folder"));
        }
        return created(catalog.createFromZip(caller.current(), id, name, Uploads.file(file)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a model already in S3", description = "Copies the folder at 'source' "
            + "(s3://bucket/prefix/) server-side under the tenant's models. Checked: " + CHECKS)
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = ModelView.class)))
    @APIResponse(responseCode = "400", description = "Bad id or source",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Not a usable model; 'files: [{file, reason}]' names each problem",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response register(RegisterModelRequest request) {
        if (request == null) {
            throw new InvalidRequestException(new Violation("body", "required: {\"id\": ..., \"source\": \"s3://...\"}"));
        }
        return created(catalog.createFromS3(caller.current(), request.id(), request.name(), request.source()));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get a model")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ModelView.class)))
    @APIResponse(responseCode = "404", description = "No such model for this tenant",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ModelView get(@PathParam("id") String id) {
        return views.view(catalog.get(caller.current(), id));
    }

    @GET
    @Operation(summary = "List models", description = "Newest first; follow 'next' for older ones.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ModelPage.class)))
    public ModelPage list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        int size = AssetPages.size(limit, config);
        AssetPages.Slice<ModelView> slice = AssetPages.slice(catalog.list(caller.current(), AssetPages.after(cursor), size + 1),
                size, views::view);
        return new ModelPage(slice.items(), slice.next());
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a model", description = "Removes its objects, then the model. Refused while a "
            + "job that has not ended (SUBMITTED, QUEUED, RUNNING, RETRYING) names it.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such model for this tenant",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Jobs use it; their ids are in 'jobIds'",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@PathParam("id") String id) {
        catalog.delete(caller.current(), id);
        return Response.noContent().build();
    }

    private Response created(ModelEntity model) {
        return Response.created(URI.create(PATH + "/" + model.id)).entity(views.view(model)).build();
    }
}
