package dev.crate.server.api.rest;

import com.fasterxml.jackson.databind.util.RawValue;
import dev.crate.protocol.wire.AuditEventList;
import dev.crate.protocol.wire.AuditVerification;
import dev.crate.server.audit.trail.AuditTrailService;
import dev.crate.server.audit.trail.AuditTrailService.Query;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;

@Path("/organization/{id}/audit")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit", description = "The tamper-evident audit trail: list, export, verify. Admins only.")
public class AuditResource {
    private final AuditTrailService trail;
    private final SecurityIdentity identity;

    AuditResource(AuditTrailService trail, SecurityIdentity identity) {
        this.trail = trail;
        this.identity = identity;
    }

    @GET
    @Operation(
            operationId = "listAuditEvents",
            summary = "List audit records",
            description = "Newest first, filtered by time "
                    + "(from inclusive, to exclusive; ISO-8601), actor (id, email or key name), action (secret.read, or a family: secret.) "
                    + "and environment; pass next_cursor as cursor for the next page.")
    public Uni<AuditEventList> list(
            @PathParam("id") String orgId,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("actor") String actor,
            @QueryParam("action") String action,
            @QueryParam("env") String env,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit) {
        return trail.list(Callers.of(identity), orgId, new Query(from, to, actor, action, env), cursor, limit);
    }

    @GET
    @Path("/export")
    @Produces("text/csv")
    @Operation(
            operationId = "exportAuditEvents",
            summary = "Export audit records",
            description =
                    "Oldest first, streamed: JSON lines "
                            + "(format=jsonl, default; each line is a record with its hashes) or CSV (format=csv). Same filters as the listing.")
    @APIResponse(
            responseCode = "200",
            description = "The records, oldest first, one per line (JSON lines) or row (CSV with a header)",
            content = {
                @Content(mediaType = "application/x-ndjson", schema = @Schema(type = SchemaType.STRING)),
                @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING))
            })
    public RestMulti<String> export(
            @PathParam("id") String orgId,
            @QueryParam("format") String format,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("actor") String actor,
            @QueryParam("action") String action,
            @QueryParam("env") String env) {
        return stream(orgId, format, new Query(from, to, actor, action, env), AuditTrailService.Export::lines);
    }

    /**
     * The same export for a client whose Accept names {@code application/x-ndjson}, as docs/API.md
     * documents (one streamed method cannot produce two media types here). For that media type the
     * REST layer writes each item with Jackson and ends it with a line feed itself, so each line goes
     * out as a raw value without its own line feed; the bytes sent are the same. Hidden: the operation
     * above documents both media types.
     */
    @GET
    @Path("/export")
    @Produces("application/x-ndjson")
    @Operation(hidden = true)
    public RestMulti<RawValue> exportJsonLines(
            @PathParam("id") String orgId,
            @QueryParam("format") String format,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("actor") String actor,
            @QueryParam("action") String action,
            @QueryParam("env") String env) {
        return stream(
                orgId,
                format,
                new Query(from, to, actor, action, env),
                export -> export.lines()
                        .map(line -> new RawValue(line.endsWith("\n") ? line.substring(0, line.length() - 1) : line)));
    }

    private <T> RestMulti<T> stream(
            String orgId, String format, Query query, Function<AuditTrailService.Export, Multi<T>> lines) {
        return RestMulti.fromUniResponse(
                trail.export(Callers.of(identity), orgId, query, format),
                lines,
                export -> Map.of(
                        "Content-Type",
                        List.of(export.mediaType() + "; charset=utf-8"),
                        "Content-Disposition",
                        List.of("attachment; filename=\"" + export.fileName() + "\"")));
    }

    @GET
    @Path("/verify")
    @Operation(
            operationId = "verifyAuditChain",
            summary = "Verify the audit chain",
            description =
                    "Walks the organization's hash chain "
                            + "from its anchor (the start, or the checkpoint retention left) to its head and reports the first broken link.")
    public Uni<AuditVerification> verify(@PathParam("id") String orgId) {
        return trail.verify(Callers.of(identity), orgId);
    }
}
