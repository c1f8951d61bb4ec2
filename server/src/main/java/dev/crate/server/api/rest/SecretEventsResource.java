package dev.crate.server.api.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crate.protocol.wire.SecretChange;
import dev.crate.server.events.SecretEventService;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The change stream as Server-Sent Events. The checks (access, limits, where to start) run before the
 * answer starts, so a refusal is an ordinary problem+json answer; then the stream is held open with no
 * thread of its own.
 */
@Path("/organization/{id}/secrets/events")
@Authenticated
@Tag(name = "secrets", description = "Sealed secrets: store, list metadata, retrieve values sealed to a temporary key")
public class SecretEventsResource {
    private final SecretEventService events;
    private final SecurityIdentity identity;
    private final ObjectMapper json;

    SecretEventsResource(SecretEventService events, SecurityIdentity identity, ObjectMapper json) {
        this.events = events;
        this.identity = identity;
        this.json = json;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(
            operationId = "watchSecrets",
            summary = "Stream changes to secrets (Server-Sent Events)",
            description =
                    "A text/event-stream of the changes the caller may see (as list: roles, grants, environment and "
                            + "tag scopes), never values: event `change` with id (the event id) and data {name, environment, "
                            + "version, action, tags, at}. Last-Event-ID resumes after that event without loss within the "
                            + "retention window; an older or unknown id gets event `reset` (data {\"reason\":\"gap\"}): fetch "
                            + "everything again. Comment lines are heartbeats. docs/API.md, section 5b.")
    @APIResponse(
            responseCode = "200",
            description = "The stream; each change event's data is a SecretChange",
            content =
                    @Content(
                            mediaType = MediaType.SERVER_SENT_EVENTS,
                            schema = @Schema(implementation = SecretChange.class)))
    public Uni<Void> events(
            @PathParam("id") String orgId,
            @Parameter(description = "Only this environment (default: every environment the caller may see)")
                    @QueryParam("env")
                    String env,
            @Parameter(description = "Only secrets carrying all these tags (comma-separated)") @QueryParam("tags")
                    String tags,
            @Parameter(description = "Only these secret names (comma-separated)") @QueryParam("names") String names,
            @Parameter(description = "Resume after this event id") @HeaderParam("Last-Event-ID") String lastEventId,
            @Context SseEventSink sink,
            @Context Sse sse,
            @Context HttpServerResponse response) {
        SseSink out = new SseSink(sink, sse, json, response);
        return events.open(
                        Callers.of(identity),
                        orgId,
                        new SecretEventService.StreamRequest(env, split(tags), split(names), lastEventId),
                        out)
                .invoke(out::attach)
                .replaceWithVoid();
    }

    private static List<String> split(String commaSeparated) {
        return commaSeparated == null || commaSeparated.isBlank() ? null : List.of(commaSeparated.split(","));
    }
}
