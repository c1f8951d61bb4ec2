package dev.crate.server.keys;

import dev.crate.server.crypto.KeyHierarchy;
import dev.crate.server.crypto.aead.DecryptionException;
import dev.crate.server.crypto.rootkey.RootKeyProvider;
import dev.crate.server.crypto.rootkey.UnknownRootKeyException;
import dev.crate.server.domain.OrgKey;
import dev.crate.server.log.LogId;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Proves that the configured root key opens the stored org keys: once at start (the server refuses to
 * start rather than make new keys over old data) and again for readiness. It unwraps one stored org key
 * per root kid in use and reports previous root keys that no org key needs any more.
 */
@ApplicationScoped
public class RootKeyCheck {
    private static final Logger LOG = Logger.getLogger(RootKeyCheck.class);

    private final RootKeyProvider rootKey;
    private final OrgKeyRepository orgKeys;
    private volatile boolean keysVerified;

    RootKeyCheck(RootKeyProvider rootKey, OrgKeyRepository orgKeys) {
        this.rootKey = rootKey;
        this.orgKeys = orgKeys;
    }

    /**
     * At start, blocking: returns once the root key opens a stored org key of every root kid in use.
     *
     * @throws StartupRefusedException (logged) when it does not
     */
    public void verifyAtStart() throws Throwable {
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(orgKeys::onePerRootKid)
                    .invoke(this::checkRootKey)
                    .invoke(this::reportUnneededRootKeys));
        } catch (StartupRefusedException e) {
            LOG.error(e.getMessage());
            throw e;
        }
        keysVerified = true;
    }

    /** True once the root key has opened a stored org key of every root kid in use. */
    public boolean keysVerified() {
        return keysVerified;
    }

    /**
     * Checks again, for readiness, that the configured root key opens the stored org keys (a database
     * restored or failed over from another installation would not). Empty when it does; else the
     * reason, which names key ids only, never key material.
     */
    public Uni<Optional<String>> rootKeyProblem() {
        return Panache.withSession(orgKeys::onePerRootKid).map(samples -> {
            try {
                checkRootKey(samples);
                return Optional.empty();
            } catch (StartupRefusedException e) {
                return Optional.of(e.getMessage());
            }
        });
    }

    /** Previous root keys that no stored org key needs any more can go from the configuration. */
    private void reportUnneededRootKeys(List<OrgKeyRecord> samples) {
        if (rootKey instanceof dev.crate.server.crypto.rootkey.RootKeyring ring) {
            java.util.Set<String> used = new java.util.HashSet<>();
            samples.forEach(s -> used.add(s.rootKid));
            List<String> unneeded = ring.previousKids().stream()
                    .filter(kid -> !used.contains(kid))
                    .toList();
            if (!unneeded.isEmpty()) {
                LogId.PREVIOUS_ROOT_KEYS_UNNEEDED.log(LOG, unneeded);
            }
            List<String> needed =
                    ring.previousKids().stream().filter(used::contains).toList();
            if (!needed.isEmpty()) {
                LogId.PREVIOUS_ROOT_KEYS_NEEDED.log(LOG, needed, rootKey.activeKid());
            }
        }
    }

    private void checkRootKey(List<OrgKeyRecord> samples) {
        for (OrgKeyRecord sample : samples) {
            try {
                OrgKey key = KeyHierarchy.unwrapOrgKey(rootKey, sample.orgId, sample.version, sample.wrappedKey);
                Arrays.fill(key.material(), (byte) 0);
            } catch (UnknownRootKeyException e) {
                throw new StartupRefusedException(
                        LogId.ROOT_KEY_NOT_CONFIGURED.format(e.kid(), rootKey.kids(), rootKey.source(), e.kid()));
            } catch (DecryptionException e) {
                throw new StartupRefusedException(LogId.ROOT_KEY_DOES_NOT_OPEN.format(rootKey.activeKid()));
            }
        }
    }
}
