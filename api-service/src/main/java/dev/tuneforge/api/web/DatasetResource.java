package dev.tuneforge.api.web;

import dev.tuneforge.api.auth.CallerContext;
import dev.tuneforge.api.config.ApiConfig;
import dev.tuneforge.api.datasets.DatasetCatalog;
import dev.tuneforge.api.datasets.DatasetUpload;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Datasets: upload (files or one zip), list, get, delete. Scoped to the API key's tenant. */
@Path(DatasetResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "datasets")
@SecurityRequirement(name = ApiApplication.BEARER)
@APIResponse(responseCode = "401", description = "Missing, unknown or revoked API key",
        content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class DatasetResource {
    static final String PATH = "/api/v1/datasets";

    private final DatasetCatalog catalog;
    private final AssetViewMapper views;
    private final CallerContext caller;
    private final ApiConfig config;

    DatasetResource(DatasetCatalog catalog, AssetViewMapper views, CallerContext caller, ApiConfig config) {
        this.catalog = catalog;
        this.views = views;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload a dataset", description = "Images (.jpg .jpeg .png .webp) with captions (.txt) "
            + "paired by file name, as separate file parts or as one .zip. Everything is checked before anything "
            + "is stored; one bad file refuses the upload (422 naming every bad file) unless skipInvalid=true.")
    @APIResponse(responseCode = "201", description = "Stored; Location points at the dataset",
            content = @Content(schema = @Schema(implementation = DatasetView.class)))
    @APIResponse(responseCode = "400", description = "Bad id or no files",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The id is taken",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Over a count or size limit",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Files that cannot be used, in 'files: [{file, reason}]'",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response upload(
            @Parameter(description = "Slug id; generated when absent") @RestForm("id") String id,
            @Parameter(description = "Display name; the id when absent") @RestForm("name") String name,
            @RestForm(FileUpload.ALL) List<FileUpload> files,
            @Parameter(description = "Store the valid pairs and list the rest instead of refusing the upload")
            @QueryParam("skipInvalid") boolean skipInvalid) {
        DatasetUpload upload = catalog.create(caller.current(), id, name, Uploads.files(files), skipInvalid);
        return Response.created(URI.create(PATH + "/" + upload.dataset().id)).entity(views.view(upload)).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get a dataset")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = DatasetView.class)))
    @APIResponse(responseCode = "404", description = "No such dataset for this tenant",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DatasetView get(@PathParam("id") String id) {
        return views.view(catalog.get(caller.current(), id));
    }

    @GET
    @Operation(summary = "List datasets", description = "Newest first; follow 'next' for older ones.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = DatasetPage.class)))
    public DatasetPage list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        int size = AssetPages.size(limit, config);
        AssetPages.Slice<DatasetView> slice = AssetPages.slice(catalog.list(caller.current(), AssetPages.after(cursor), size + 1),
                size, views::view);
        return new DatasetPage(slice.items(), slice.next());
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a dataset", description = "Removes its objects, then the dataset. Refused while a "
            + "job that has not ended (SUBMITTED, QUEUED, RUNNING, RETRYING) names it.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such dataset for this tenant",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Jobs use it; their ids are in 'jobIds'",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@PathParam("id") String id) {
        catalog.delete(caller.current(), id);
        return Response.noContent().build();
    }
}
