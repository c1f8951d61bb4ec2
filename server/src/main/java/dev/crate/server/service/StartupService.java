package dev.crate.server.service;

import dev.crate.server.config.CrateConfig;
import dev.crate.server.crypto.aead.DecryptionException;
import dev.crate.server.crypto.envelope.Contexts;
import dev.crate.server.crypto.rootkey.RootKeyProvider;
import dev.crate.server.crypto.rootkey.UnknownRootKeyException;
import dev.crate.server.log.LogId;
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
            LogId.NO_IDENTITY_PROVIDER.log(LOG);
        } else {
            LogId.IDENTITY_PROVIDER.log(LOG, config.oidc().issuer().get(), config.oidc().audience());
        }
        LogId.ROOT_KEY_OPENS.log(LOG, rootKey.activeKid(), rootKey.source());
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
                LogId.PREVIOUS_ROOT_KEYS_UNNEEDED.log(LOG, unneeded);
            }
            List<String> needed = ring.previousKids().stream().filter(used::contains).toList();
            if (!needed.isEmpty()) {
                LogId.PREVIOUS_ROOT_KEYS_NEEDED.log(LOG, needed, rootKey.activeKid());
            }
        }
    }

    private void checkRootKey(List<OrgKeyRecord> samples) {
        for (OrgKeyRecord sample : samples) {
            try {
                byte[] material = rootKey.unwrap(sample.wrappedKey, Contexts.orgKey(sample.orgId, sample.version));
                Arrays.fill(material, (byte) 0);
            } catch (UnknownRootKeyException e) {
                throw new StartupRefusedException(LogId.ROOT_KEY_NOT_CONFIGURED.format(e.kid(),
                        rootKey.kids(), rootKey.source(), e.kid()));
            } catch (DecryptionException e) {
                throw new StartupRefusedException(LogId.ROOT_KEY_DOES_NOT_OPEN.format(rootKey.activeKid()));
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
                LogId.BOOTSTRAP_ADMINS_WITHOUT_DEFAULT_ORG.log(LOG);
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
            throw new StartupRefusedException(LogId.BOOTSTRAP_TOKEN_INVALID.format());
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
        LogId.DEFAULT_ORG_CREATED.log(LOG, orgId);
        if (preset) {
            LogId.BOOTSTRAP_KEY_PRESET.log(LOG);
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
                LogId.BOOTSTRAP_KEY_FILE_NOT_SAVED.log(LOG, file, e.getClass().getSimpleName());
            }
        }
        banner.append("==================================================================\n");
        // Straight to the console, never through the logging pipeline: log shippers must not see it.
        System.out.print(banner);
        System.out.flush();
    }
}
