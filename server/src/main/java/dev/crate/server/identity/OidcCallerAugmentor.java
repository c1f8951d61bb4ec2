package dev.crate.server.identity;

import dev.crate.server.domain.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns a verified OIDC identity into a {@link Caller} and records the user on first sight (and when
 * email or name change). The subject is the identity; email and name are only descriptive.
 */
@ApplicationScoped
public class OidcCallerAugmentor implements SecurityIdentityAugmentor {
    private static final int SEEN_LIMIT = 10_000;
    private final UserRepository users;
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    OidcCallerAugmentor(UserRepository users) {
        this.users = users;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()
                || identity.getAttribute(ApiKeyIdentityProvider.CALLER_ATTRIBUTE) != null
                || !(identity.getPrincipal() instanceof JsonWebToken jwt)
                || jwt.getSubject() == null) {
            return Uni.createFrom().item(identity);
        }
        String email = text(jwt.getClaim("email"));
        String name = text(jwt.getClaim("name")) != null
                ? text(jwt.getClaim("name"))
                : text(jwt.getClaim("preferred_username"));
        boolean verified = "true".equals(text(jwt.getClaim("email_verified")));
        Caller caller = Caller.user(jwt.getSubject(), email, verified, name);
        SecurityIdentity augmented = QuarkusSecurityIdentity.builder(identity)
                .addAttribute(ApiKeyIdentityProvider.CALLER_ATTRIBUTE, caller)
                .build();
        String fingerprint = email + "\u0000" + verified + "\u0000" + name;
        if (fingerprint.equals(seen.get(jwt.getSubject()))) {
            return Uni.createFrom().item(augmented);
        }
        return Panache.withTransaction(() -> users.upsert(jwt.getSubject(), email, verified, name))
                .map(ignored -> {
                    if (seen.size() > SEEN_LIMIT) {
                        seen.clear();
                    }
                    seen.put(jwt.getSubject(), fingerprint);
                    return augmented;
                });
    }

    private static String text(Object claim) {
        if (claim == null) {
            return null;
        }
        String text = claim.toString();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        return text;
    }
}
