package dev.crate.server.api.http;

import dev.crate.server.api.grpc.v1.EnvironmentsServiceGrpc;
import dev.crate.server.api.grpc.v1.SecretsServiceGrpc;
import dev.crate.server.api.grpc.v1.TagsServiceGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps raw paths out of the HTTP series. A request the REST layer routed is labelled with its
 * template ({@code /organization/{id}/secrets}); one refused before routing (413 from the body-size
 * filter, 405 on a path that exists for other methods) would be labelled with its raw path, org id
 * and secret name included. Such labels become {@value #UNMATCHED}. gRPC calls share the port: a
 * method this server serves keeps its fixed path ({@code /crate.secrets.v1.SecretsService/StoreSecret});
 * any other gRPC path is {@value #UNMATCHED} too, so a client cannot mint label values.
 */
@Singleton
public class RouteLabels {
    static final String UNMATCHED = "UNMATCHED";
    private static final Pattern LITERAL_PATH = Pattern.compile("(/[a-z][a-z.-]*)*/?");
    private static final Pattern MARKER = Pattern.compile("[A-Z_]+");
    static final Set<String> GRPC_METHODS = Stream.of(
                    SecretsServiceGrpc.getServiceDescriptor(),
                    TagsServiceGrpc.getServiceDescriptor(),
                    EnvironmentsServiceGrpc.getServiceDescriptor(),
                    ServerReflectionGrpc.getServiceDescriptor())
            .flatMap(service -> service.getMethods().stream())
            .map(method -> "/" + method.getFullMethodName())
            .collect(Collectors.toUnmodifiableSet());

    @Produces
    @Singleton
    MeterFilter routeTemplatesOnly() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String uri = id.getTag("uri");
                if (!id.getName().startsWith("http.server") || uri == null || safe(uri)) {
                    return id;
                }
                return id.replaceTags(id.getTags().stream()
                        .map(tag -> tag.getKey().equals("uri") ? Tag.of("uri", UNMATCHED) : tag)
                        .collect(Collectors.toList()));
            }
        };
    }

    /** A route template, a Quarkus marker (NOT_FOUND, REDIRECTION), a served gRPC method or a fixed path with no id-like segment. */
    static boolean safe(String uri) {
        if (uri.contains("{") || uri.startsWith("/q/") || MARKER.matcher(uri).matches() || GRPC_METHODS.contains(uri)) {
            return true;
        }
        return !uri.startsWith("/organization/") && LITERAL_PATH.matcher(uri).matches();
    }
}
