package dev.crate.server.api.grpc;

import dev.crate.server.api.grpc.v1.Heartbeat;
import dev.crate.server.api.grpc.v1.SecretChange;
import dev.crate.server.api.grpc.v1.SecretEventsService;
import dev.crate.server.api.grpc.v1.StreamPosition;
import dev.crate.server.api.grpc.v1.StreamReset;
import dev.crate.server.api.grpc.v1.WatchSecretsRequest;
import dev.crate.server.api.grpc.v1.WatchSecretsResponse;
import dev.crate.server.domain.CrateException;
import dev.crate.server.events.EventSink;
import dev.crate.server.events.SecretEvent;
import dev.crate.server.events.SecretEventService;
import dev.crate.server.events.StreamItem;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.List;

/**
 * {@code crate.secrets.v1.SecretEventsService}: the change stream over gRPC, a thin adapter over
 * {@link SecretEventService} like {@code SecretEventsResource}. A refusal (access, limits) fails the call
 * before its first message; a caller that loses access sees the call fail with the status of that
 * refusal (a revoked key: {@code UNAUTHENTICATED}).
 */
@GrpcService
public class SecretEventsGrpcService implements SecretEventsService {
    private final SecretEventService events;
    private final GrpcCallers callers;

    SecretEventsGrpcService(SecretEventService events, GrpcCallers callers) {
        this.events = events;
        this.callers = callers;
    }

    @Override
    public Multi<WatchSecretsResponse> watchSecrets(WatchSecretsRequest request) {
        SecretEventService.StreamRequest wanted = new SecretEventService.StreamRequest(
                GrpcMessages.optional(request.getEnvironment()),
                request.getTagsList().isEmpty() ? null : List.copyOf(request.getTagsList()),
                request.getNamesList().isEmpty() ? null : List.copyOf(request.getNamesList()),
                request.hasLastEventId() ? Long.toString(request.getLastEventId()) : null);
        return Multi.createFrom()
                .emitter(emitter -> callers.current()
                        .chain(caller -> events.open(caller, request.getOrganizationId(), wanted, new Sink(emitter)))
                        .subscribe()
                        .with(stream -> emitter.onTermination(stream::cancel), emitter::fail));
    }

    /** Items as messages; closing completes the call. */
    private record Sink(MultiEmitter<? super WatchSecretsResponse> emitter) implements EventSink {
        @Override
        public void send(StreamItem item) {
            emitter.emit(message(item));
        }

        @Override
        public void close() {
            emitter.complete();
        }

        /** A caller who lost access sees the call fail with the status a new call would get. */
        @Override
        public void deny(CrateException why) {
            emitter.fail(why);
        }
    }

    static WatchSecretsResponse message(StreamItem item) {
        WatchSecretsResponse.Builder message = WatchSecretsResponse.newBuilder();
        if (item instanceof StreamItem.Change change) {
            SecretEvent event = change.event();
            return message.setEventId(event.id())
                    .setChange(SecretChange.newBuilder()
                            .setName(event.name())
                            .setEnvironment(event.environment())
                            .setVersion(event.version())
                            .setAction(event.action())
                            .addAllTags(event.tags())
                            .setAt(GrpcMessages.timestamp(event.at())))
                    .build();
        }
        if (item instanceof StreamItem.Reset reset) {
            return message.setEventId(reset.position())
                    .setReset(StreamReset.newBuilder().setReason(reset.reason()))
                    .build();
        }
        if (item instanceof StreamItem.Position position) {
            return message.setEventId(position.position())
                    .setPosition(StreamPosition.getDefaultInstance())
                    .build();
        }
        return message.setHeartbeat(Heartbeat.getDefaultInstance()).build();
    }
}
