package dev.crate.server.events;

import dev.crate.protocol.ErrorCode;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.Validation;
import dev.crate.server.identity.Access;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Opens change streams (docs/API.md, section 5b) for REST and gRPC alike: checks the request and the
 * caller's access as the list endpoint does, finds where the stream starts (the client's last event id,
 * or now; a {@code reset} when that id is outside what is kept), and hands the stream to the
 * {@link EventHub}, which counts it against the limits.
 */
@ApplicationScoped
public class SecretEventService {
    private final StreamAccess access;
    private final SecretEventRepository events;
    private final EventHub hub;

    SecretEventService(StreamAccess access, SecretEventRepository events, EventHub hub) {
        this.access = access;
        this.events = events;
        this.hub = hub;
    }

    /** What a client asks a stream for; every part may be null (all it may see, from now). */
    public record StreamRequest(String environment, List<String> tags, List<String> names, String lastEventId) {}

    public Uni<EventStream> open(Caller caller, String orgId, StreamRequest request, EventSink sink) {
        StreamFilter filter = filter(request);
        Optional<Long> resumeAfter = lastEventId(request.lastEventId());
        return access.check(caller, orgId)
                .invoke(a -> filter.environment().ifPresent(a::requireMetadata))
                .call(a -> filter.environment().isEmpty()
                        ? Uni.createFrom().voidItem()
                        : events.environmentExists(
                                        a.org().id, filter.environment().get())
                                .invoke(exists -> {
                                    if (!exists) {
                                        throw new CrateException(
                                                ErrorCode.ENVIRONMENT_NOT_FOUND,
                                                "no environment '"
                                                        + filter.environment().get() + "' in this organization");
                                    }
                                }))
                .chain(a -> start(a, resumeAfter).map(start -> {
                    EventStream stream = new EventStream(hub, caller, a, filter, start.from(), sink);
                    hub.register(stream, start.from(), start.first());
                    return stream;
                }));
    }

    /** Where a stream starts and what it sends first. */
    private record Start(long from, StreamItem first) {}

    private Uni<Start> start(Access a, Optional<Long> resumeAfter) {
        Uni<Long> now = events.newest(a.org().id);
        if (resumeAfter.isEmpty()) {
            return now.map(from -> new Start(from, new StreamItem.Position(from)));
        }
        long last = resumeAfter.get();
        return events.bounds().chain(bounds -> {
            if (last >= bounds[0] && last <= bounds[1]) {
                return Uni.createFrom().item(new Start(last, null));
            }
            return now.map(from -> new Start(from, new StreamItem.Reset("gap", from)));
        });
    }

    static StreamFilter filter(StreamRequest request) {
        Optional<String> environment =
                request.environment() == null || request.environment().isBlank()
                        ? Optional.empty()
                        : Optional.of(Validation.environment(request.environment()));
        List<String> tags = Validation.tagFilter(request.tags());
        Optional<List<String>> names =
                request.names() == null || request.names().isEmpty()
                        ? Optional.empty()
                        : Optional.of(Validation.names(request.names()));
        return new StreamFilter(environment, tags, names);
    }

    static Optional<Long> lastEventId(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            long id = Long.parseLong(text.trim());
            if (id >= 0) {
                return Optional.of(id);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new CrateException(ErrorCode.MALFORMED_REQUEST, "Last-Event-ID must be an event id this stream sent");
    }
}
