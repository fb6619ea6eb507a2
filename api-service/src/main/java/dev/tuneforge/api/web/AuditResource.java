package dev.tuneforge.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.api.audit.AuditLog;
import dev.tuneforge.api.auth.Caller;
import dev.tuneforge.api.auth.CallerContext;
import dev.tuneforge.api.persistence.AuditFilter;
import dev.tuneforge.api.persistence.JobEventEntity;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.jobs.Violation;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The append-only audit log of the caller's jobs and workflows: filtered pages, or every row as JSON Lines. */
@Path(AuditResource.PATH)
public class AuditResource {
    static final String PATH = "/api/v1/audit";
    static final String JSON_LINES = "application/jsonl";
    static final String NDJSON = "application/x-ndjson";
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final AuditLog log;
    private final JobViewMapper views;
    private final CallerContext caller;
    private final ObjectMapper mapper;

    AuditResource(AuditLog log, JobViewMapper views, CallerContext caller, EventCodec codec) {
        this.log = log;
        this.views = views;
        this.caller = caller;
        this.mapper = codec.mapper();
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, JSON_LINES, NDJSON})
    @Operation(summary = "Read the audit log", description = "Every transition of the caller's jobs and workflows in "
            + "log order (seq), with its cause. With Accept: application/jsonl (or application/x-ndjson) every "
            + "matching row is streamed as JSON Lines, without limit or cursor.")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditPage.class)),
            @Content(mediaType = JSON_LINES, schema = @Schema(implementation = AuditEntryView.class))})
    @APIResponse(responseCode = "400", description = "A bad UUID, instant, type, limit or cursor; from not before to",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response read(
            @Parameter(description = "Rows of this workflow and of its jobs") @QueryParam("workflowId") String workflowId,
            @Parameter(description = "Rows of this job") @QueryParam("jobId") String jobId,
            @Parameter(description = "Event type, or a prefix ending in '*'; repeat for any of several")
            @QueryParam("type") List<String> types,
            @Parameter(description = "ISO-8601 instant: recorded at or after") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant: recorded before") @QueryParam("to") String to,
            @Parameter(description = "Page size, 1-1000 (default 100); not with JSON Lines") @QueryParam("limit")
            String limit,
            @Parameter(description = "The 'next' of the previous page; not with JSON Lines") @QueryParam("cursor")
            String cursor,
            @Context HttpHeaders headers) {
        AuditFilter filter = AuditQueryParams.filter(workflowId, jobId, types, from, to);
        if (wantsJsonLines(headers)) {
            return export(filter, limit, cursor);
        }
        return Response.ok(page(filter, limit, cursor), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private AuditPage page(AuditFilter filter, String limit, String cursor) {
        int size = QueryParams.intParam("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        long after = cursor == null || cursor.isBlank() ? 0 : PageCursor.decodeSeq(cursor);
        List<JobEventEntity> rows = log.page(caller.current(), filter, after, size + 1);
        boolean more = rows.size() > size;
        List<JobEventEntity> page = more ? rows.subList(0, size) : rows;
        return new AuditPage(page.stream().map(views::auditView).toList(),
                more ? PageCursor.encodeSeq(page.get(page.size() - 1).seq) : null);
    }

    private Response export(AuditFilter filter, String limit, String cursor) {
        List<Violation> unused = new ArrayList<>();
        if (limit != null) {
            unused.add(new Violation("limit", "not used by the JSON Lines export, which streams every matching row"));
        }
        if (cursor != null) {
            unused.add(new Violation("cursor", "not used by the JSON Lines export, which streams every matching row"));
        }
        if (!unused.isEmpty()) {
            throw new InvalidRequestException(unused);
        }
        // Resolved now: the stream is written after this method returns.
        Caller who = caller.current();
        StreamingOutput lines = out -> log.export(who, filter, rows -> write(rows, out));
        return Response.ok(lines, JSON_LINES).build();
    }

    private void write(List<JobEventEntity> rows, OutputStream out) {
        try {
            for (JobEventEntity row : rows) {
                out.write(mapper.writeValueAsBytes(views.auditView(row)));
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the client stopped reading the audit export", e);
        }
    }

    /** JSON Lines when the client prefers it to JSON (Accept is sorted by quality); JSON otherwise. */
    private static boolean wantsJsonLines(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (isJsonLines(type)) {
                return true;
            }
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
    }

    private static boolean isJsonLines(MediaType type) {
        return !type.isWildcardType() && !type.isWildcardSubtype()
                && (type.isCompatible(MediaType.valueOf(JSON_LINES)) || type.isCompatible(MediaType.valueOf(NDJSON)));
    }
}
