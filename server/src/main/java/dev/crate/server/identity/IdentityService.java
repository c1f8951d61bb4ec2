package dev.crate.server.identity;

import dev.crate.protocol.wire.AuthConfig;
import dev.crate.protocol.wire.Me;
import dev.crate.server.config.CrateConfig;
import dev.crate.server.domain.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Who the caller is ({@code GET /me}) and how a client logs in ({@code GET /auth/config}, from the
 * identity provider's discovery document, fetched once and kept).
 */
@ApplicationScoped
public class IdentityService {
    private final CrateConfig config;
    private final MemberRepository members;
    private final OrganizationRepository organizations;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile AuthConfig discovered;

    IdentityService(
            CrateConfig config,
            MemberRepository members,
            OrganizationRepository organizations,
            com.fasterxml.jackson.databind.ObjectMapper json) {
        this.config = config;
        this.members = members;
        this.organizations = organizations;
        this.json = json;
    }

    public Uni<Me> me(Caller caller) {
        if (caller.apiKey().isPresent()) {
            var key = caller.apiKey().get();
            return Panache.withSession(() -> organizations.findById(key.orgId()))
                    .map(org -> new Me(
                            "api_key",
                            caller.subject(),
                            null,
                            key.name(),
                            List.of(new dev.crate.protocol.wire.Membership(
                                    org.id, org.name, key.role().wire()))));
        }
        return Panache.withSession(() -> members.listFor(caller.subject(), caller.verifiedEmail())
                .chain(rows -> {
                    Map<UUID, String> roles = new HashMap<>();
                    rows.forEach(m -> roles.put(m.orgId, m.role));
                    return organizations
                            .listByIds(roles.keySet())
                            .map(orgs -> new Me(
                                    "user",
                                    caller.subject(),
                                    caller.email(),
                                    caller.name(),
                                    orgs.stream()
                                            .map(o -> new dev.crate.protocol.wire.Membership(
                                                    o.id, o.name, roles.get(o.id)))
                                            .toList()));
                }));
    }

    public Uni<AuthConfig> authConfig() {
        if (config.oidc().issuer().isEmpty()) {
            return Uni.createFrom().item(new AuthConfig(false, null, null, null, null, null, null, null));
        }
        AuthConfig cached = discovered;
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        String issuer = config.oidc().issuer().get().replaceAll("/+$", "");
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5))
                .build();
        return Uni.createFrom()
                .completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .map(response -> {
                    try {
                        var doc = json.readTree(response.body());
                        AuthConfig result = new AuthConfig(
                                true,
                                doc.path("issuer").asText(issuer),
                                doc.path("device_authorization_endpoint").asText(null),
                                doc.path("token_endpoint").asText(null),
                                config.oidc().cliClientId(),
                                config.oidc().cliScopes(),
                                doc.path("authorization_endpoint").asText(null),
                                config.oidc().consoleClientId());
                        discovered = result;
                        return result;
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("the identity provider's discovery document is not JSON");
                    }
                })
                .onFailure(e -> !(e instanceof IllegalStateException))
                .transform(e -> new dev.crate.server.domain.CrateException(
                        dev.crate.protocol.ErrorCode.SERVICE_UNAVAILABLE, "the identity provider cannot be reached"));
    }
}
