package dev.crate.server.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crate.server.config.CrateConfig;
import dev.crate.server.log.LogId;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * The signing keys of bound issuers: {@code <issuer>/.well-known/openid-configuration}, then its
 * {@code jwks_uri}, cached per issuer. A token naming a key the cache does not hold makes one refresh, at
 * most once per {@code crate.workload.jwks-refresh-min-interval} per issuer, so a flood of unknown
 * {@code kid}s cannot turn Crate against the issuer. Cached keys are refetched after
 * {@code crate.workload.jwks-max-age}, so a key the issuer withdrew stops working. Only issuers some
 * binding names are ever fetched (the exchange looks the bindings up first).
 */
@ApplicationScoped
public class IssuerKeys {
    private static final Logger LOG = Logger.getLogger(IssuerKeys.class);
    private static final int MAX_ISSUERS = 1_000;

    private record Cached(List<JsonWebKey> keys, long fetchedAt) {}

    /** The latest fetch of an issuer's keys: when it started (the refresh bound counts from it) and its outcome. */
    private record Refresh(long startedAt, CompletableFuture<List<JsonWebKey>> keys) {}

    private final IssuerFetch fetch;
    private final ObjectMapper json;
    private final long minRefreshNanos;
    private final long maxAgeNanos;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Refresh> refreshes = new ConcurrentHashMap<>();

    IssuerKeys(Vertx vertx, ObjectMapper json, CrateConfig config) {
        CrateConfig.Workload settings = config.workload();
        this.fetch = new IssuerFetch(vertx, settings.httpTimeout(), settings.maxDocumentBytes());
        this.json = json;
        this.minRefreshNanos = settings.jwksRefreshMinInterval().toNanos();
        this.maxAgeNanos = settings.jwksMaxAge().toNanos();
    }

    @PreDestroy
    void close() {
        fetch.close();
    }

    /** Thrown when no key can verify the token: the reason, for the audit trail. */
    static final class NoKey extends RuntimeException {
        NoKey(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * The issuer's key for this signature (by {@code kid}, {@code alg} and key type), or a {@link NoKey} failure.
     * A key the cache does not hold starts a fetch, unless one is under way or the last one started less than
     * the refresh bound ago: then the answer comes from that fetch, so exchanges arriving while it runs (parallel
     * jobs of a pipeline, replicas of a deployment starting together) wait for it instead of being refused.
     */
    Uni<JsonWebKey> keyFor(String issuer, JsonWebSignature jws) {
        Cached cached = cache.get(issuer);
        long now = System.nanoTime();
        if (cached != null && now - cached.fetchedAt() < maxAgeNanos) {
            JsonWebKey key = select(jws, cached.keys());
            if (key != null) {
                return Uni.createFrom().item(key);
            }
        }
        Refresh[] started = {null};
        Refresh refresh = refreshes.compute(issuer, (k, last) -> {
            if (last != null && (!last.keys().isDone() || now - last.startedAt() < minRefreshNanos)) {
                return last;
            }
            started[0] = new Refresh(now, new CompletableFuture<>());
            return started[0];
        });
        if (started[0] != null) {
            // subscribed on its own, so a caller that goes away does not cancel it for the others
            refresh(issuer).subscribe().with(refresh.keys()::complete, refresh.keys()::completeExceptionally);
        }
        Context caller = Vertx.currentContext();
        // a copy per caller, so that a caller that goes away cancels only its own wait
        Uni<List<JsonWebKey>> keys = Uni.createFrom()
                .completionStage(refresh.keys().copy())
                .onFailure(CompletionException.class)
                .transform(Throwable::getCause);
        return IssuerFetch.onContext(keys, caller).map(fetched -> {
            JsonWebKey key = select(jws, fetched);
            if (key == null) {
                throw new NoKey(
                        started[0] != null
                                ? "unknown kid after a refresh of the issuer's keys"
                                : "unknown kid after a refresh of the issuer's keys (not refreshed again yet)");
            }
            return key;
        });
    }

    private Uni<List<JsonWebKey>> refresh(String issuer) {
        String discovery = (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
                + "/.well-known/openid-configuration";
        return fetch.get(discovery)
                .onFailure()
                .transform(e -> unavailable(issuer, "the discovery document", e))
                .map(body -> jwksUri(issuer, body))
                .chain(uri -> fetch.get(uri).onFailure().transform(e -> unavailable(issuer, "the key set", e)))
                .map(body -> {
                    List<JsonWebKey> keys = parseKeys(issuer, body);
                    if (cache.size() >= MAX_ISSUERS) {
                        cache.clear();
                    }
                    cache.put(issuer, new Cached(keys, System.nanoTime()));
                    return keys;
                });
    }

    private String jwksUri(String issuer, String body) {
        JsonNode doc;
        try {
            doc = json.readTree(body);
        } catch (java.io.IOException e) {
            throw unavailable(issuer, "the discovery document", new IssuerFetch.FetchFailed("not JSON"));
        }
        if (doc == null || !issuer.equals(doc.path("issuer").asText(null))) {
            throw unavailable(issuer, "the discovery document", new IssuerFetch.FetchFailed("it names another issuer"));
        }
        String uri = doc.path("jwks_uri").asText(null);
        try {
            return BindingRules.issuer(uri);
        } catch (RuntimeException e) {
            throw unavailable(
                    issuer, "the discovery document", new IssuerFetch.FetchFailed("jwks_uri is missing or not https"));
        }
    }

    private List<JsonWebKey> parseKeys(String issuer, String body) {
        try {
            return new JsonWebKeySet(body).getJsonWebKeys();
        } catch (JoseException | RuntimeException e) {
            throw unavailable(issuer, "the key set", new IssuerFetch.FetchFailed("not a JWK set"));
        }
    }

    private static NoKey unavailable(String issuer, String what, Throwable cause) {
        if (cause instanceof NoKey noKey) {
            return noKey;
        }
        String why = cause instanceof IssuerFetch.FetchFailed
                ? cause.getMessage()
                : cause.getClass().getSimpleName();
        LogId.WORKLOAD_ISSUER_UNAVAILABLE.log(LOG, WorkloadExchangeService.clean(issuer), what, why);
        return new NoKey(what + " of the issuer could not be fetched (" + why + ")");
    }

    private static JsonWebKey select(JsonWebSignature jws, List<JsonWebKey> keys) {
        try {
            return new VerificationJwkSelector().select(jws, keys);
        } catch (JoseException e) {
            return null;
        }
    }
}
