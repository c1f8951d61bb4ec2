package dev.crate.server.service;

import dev.crate.server.config.CrateConfig;
import dev.crate.server.crypto.aead.DecryptionException;
import dev.crate.server.crypto.envelope.Contexts;
import dev.crate.server.crypto.rootkey.RootKeyProvider;
import dev.crate.server.crypto.rootkey.UnknownRootKeyException;
import dev.crate.server.storage.OrgKeyRecord;
import dev.crate.server.storage.OrgKeyRepository;
import dev.crate.server.storage.OrganizationRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs once at start, after the migrations: proves the root key opens the stored org keys (else the
 * server refuses to start rather than make new keys), then bootstraps org {@code default} on an empty
 * database.
 */
@ApplicationScoped
public class StartupService {
    private static final Logger LOG = Logger.getLogger(StartupService.class);
    private static final long BOOTSTRAP_LOCK = 0x43524154450001L;

    private final RootKeyProvider rootKey;
    private final OrgKeyRepository orgKeys;
    private final OrganizationRepository organizations;
    private final OrganizationService organizationService;
    private final KeyService keys;
    private final CrateConfig config;
    private final MemberService members;
    private final dev.crate.server.storage.MemberRepository memberRecords;
    private volatile boolean keysVerified;

    StartupService(RootKeyProvider rootKey, OrgKeyRepository orgKeys, OrganizationRepository organizations,
            OrganizationService organizationService, KeyService keys, CrateConfig config, MemberService members,
            dev.crate.server.storage.MemberRepository memberRecords) {
        this.members = members;
        this.memberRecords = memberRecords;
        this.rootKey = rootKey;
        this.orgKeys = orgKeys;
        this.organizations = organizations;
        this.organizationService = organizationService;
        this.keys = keys;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(orgKeys::onePerRootKid).invoke(this::checkRootKey)
                    .invoke(this::reportUnneededRootKeys));
        } catch (StartupRefusedException e) {
            LOG.error(e.getMessage());
            throw e;
        }
        keysVerified = true;
        if (config.bootstrapEnabled()) {
            VertxContextSupport.subscribeAndAwait(this::bootstrap);
        }
        if (config.bootstrapAdmins().isPresent()) {
            VertxContextSupport.subscribeAndAwait(this::bootstrapAdmins);
        }
        if (config.oidc().issuer().isEmpty()) {
            LOG.info("CRATE-0020 no identity provider configured (CRATE_OIDC_ISSUER): API keys only");
        } else {
            LOG.infof("CRATE-0021 users log in through %s (audience %s)", config.oidc().issuer().get(), config.oidc().audience());
        }
        LOG.infof("CRATE-0010 root key %s (%s) opens the stored org keys", rootKey.activeKid(), rootKey.source());
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
            List<String> unneeded = ring.previousKids().stream().filter(kid -> !used.contains(kid)).toList();
            if (!unneeded.isEmpty()) {
                LOG.infof("CRATE-0015 previous root key(s) %s wrap no org key any more: remove them from the configuration", unneeded);
            }
            List<String> needed = ring.previousKids().stream().filter(used::contains).toList();
            if (!needed.isEmpty()) {
                LOG.infof("CRATE-0016 previous root key(s) %s still wrap org keys: run the root-key rotation "
                        + "(POST /operator/keys/root/rotate) to re-wrap them under %s", needed, rootKey.activeKid());
            }
        }
    }

    private void checkRootKey(List<OrgKeyRecord> samples) {
        for (OrgKeyRecord sample : samples) {
            try {
                byte[] material = rootKey.unwrap(sample.wrappedKey, Contexts.orgKey(sample.orgId, sample.version));
                Arrays.fill(material, (byte) 0);
            } catch (UnknownRootKeyException e) {
                throw new StartupRefusedException("CRATE-0002 stored org keys are wrapped by root key '" + e.kid()
                        + "', which is not configured (configured: " + rootKey.kids() + " from " + rootKey.source()
                        + "). Start with the root key that has kid '" + e.kid() + "'. Crate never replaces keys silently.");
            } catch (DecryptionException e) {
                throw new StartupRefusedException("CRATE-0003 the configured root key '" + rootKey.activeKid()
                        + "' does not open the stored org keys it claims: the key or the database has been altered.");
            }
        }
    }

    /**
     * Makes the configured emails admins of org {@code default}, once: only while that org has no admin
     * member yet, so removing such a member later is not undone by a restart.
     */
    private Uni<Void> bootstrapAdmins() {
        List<String> emails = config.bootstrapAdmins().orElse(List.of()).stream().map(String::trim).filter(e -> !e.isEmpty()).toList();
        return Panache.withTransaction(() -> organizations.findByName("default").chain(org -> {
            if (org == null) {
                LOG.warn("CRATE-0014 CRATE_BOOTSTRAP_ADMINS is set but there is no organization 'default'");
                return Uni.createFrom().voidItem();
            }
            return memberRecords.countAdmins(org.id).chain(admins -> {
                if (admins > 0) {
                    return Uni.createFrom().voidItem();
                }
                Uni<Void> chain = Uni.createFrom().voidItem();
                for (String email : emails) {
                    chain = chain.chain(() -> members.ensureAdminByEmail(org.id, email));
                }
                return chain;
            });
        }));
    }

    private String presetToken() {
        String preset = config.bootstrapToken().filter(t -> !t.isBlank()).orElse(null);
        if (preset != null && !preset.matches("^[A-Za-z0-9_-]{32,256}$")) {
            throw new StartupRefusedException("CRATE-0004 CRATE_BOOTSTRAP_TOKEN must be 32 to 256 characters of "
                    + "A-Z a-z 0-9 _ - (a key from 'crate_' + 'openssl rand -hex 24' works); it is not used as given.");
        }
        return preset;
    }

    private Uni<Void> bootstrap() {
        String preset;
        try {
            preset = presetToken();
        } catch (StartupRefusedException e) {
            LOG.error(e.getMessage());
            throw e;
        }
        return keys.newTransportKeyPair().chain(pair -> Panache.withTransaction(() ->
                Panache.getSession().chain(s -> s.createNativeQuery("select pg_advisory_xact_lock(:lock)")
                                .setParameter("lock", BOOTSTRAP_LOCK).getSingleResult())
                        .chain(() -> organizations.count())
                        .chain(count -> {
                            if (count > 0) {
                                return Uni.createFrom().voidItem();
                            }
                            return organizationService.provision("default", pair, preset, "bootstrap")
                                    .invoke(created -> announce(created.id().toString(), created.adminApiKey().key(), preset != null))
                                    .replaceWithVoid();
                        })));
    }

    private void announce(String orgId, String key, boolean preset) {
        LOG.infof("CRATE-0011 created organization 'default' (%s) with a bootstrap admin API key", orgId);
        if (preset) {
            LOG.info("CRATE-0012 the bootstrap admin API key is the one given in CRATE_BOOTSTRAP_TOKEN");
            return;
        }
        StringBuilder banner = new StringBuilder()
                .append("\n==================================================================\n")
                .append(" Crate: first start. Organization 'default': ").append(orgId).append('\n')
                .append(" Admin API key (shown once):\n\n   ").append(key).append("\n\n");
        if (config.embeddedDatabase() || config.devRootKey()) {
            Path file = config.dataDir().resolve("bootstrap-token");
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, key + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                banner.append(" Also saved (mode 0600) in ").append(file).append('\n');
            } catch (IOException | UnsupportedOperationException e) {
                LOG.warnf("CRATE-0013 could not save the bootstrap key file %s: %s", file, e.getClass().getSimpleName());
            }
        }
        banner.append("==================================================================\n");
        // Straight to the console, never through the logging pipeline: log shippers must not see it.
        System.out.print(banner);
        System.out.flush();
    }
}
