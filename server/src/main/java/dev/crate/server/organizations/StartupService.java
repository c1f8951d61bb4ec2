package dev.crate.server.organizations;

import dev.crate.server.config.CrateConfig;
import dev.crate.server.crypto.rootkey.RootKeyProvider;
import dev.crate.server.identity.MemberService;
import dev.crate.server.identity.OrganizationRepository;
import dev.crate.server.keys.KeyService;
import dev.crate.server.keys.RootKeyCheck;
import dev.crate.server.keys.StartupRefusedException;
import dev.crate.server.log.LogId;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs once at start, after the migrations: has {@link RootKeyCheck} prove the root key opens the stored
 * org keys (else the server refuses to start rather than make new keys), then bootstraps org
 * {@code default} on an empty database.
 */
@ApplicationScoped
public class StartupService {
    private static final Logger LOG = Logger.getLogger(StartupService.class);
    private static final long BOOTSTRAP_LOCK = 0x43524154450001L;

    private final RootKeyProvider rootKey;
    private final RootKeyCheck rootKeyCheck;
    private final OrganizationRepository organizations;
    private final OrganizationService organizationService;
    private final KeyService keys;
    private final CrateConfig config;
    private final MemberService members;
    private final dev.crate.server.identity.MemberRepository memberRecords;

    StartupService(
            RootKeyProvider rootKey,
            RootKeyCheck rootKeyCheck,
            OrganizationRepository organizations,
            OrganizationService organizationService,
            KeyService keys,
            CrateConfig config,
            MemberService members,
            dev.crate.server.identity.MemberRepository memberRecords) {
        this.members = members;
        this.memberRecords = memberRecords;
        this.rootKey = rootKey;
        this.rootKeyCheck = rootKeyCheck;
        this.organizations = organizations;
        this.organizationService = organizationService;
        this.keys = keys;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        rootKeyCheck.verifyAtStart();
        if (config.bootstrapEnabled()) {
            VertxContextSupport.subscribeAndAwait(this::bootstrap);
        }
        if (config.bootstrapAdmins().isPresent()) {
            VertxContextSupport.subscribeAndAwait(this::bootstrapAdmins);
        }
        if (config.oidc().issuer().isEmpty()) {
            LogId.NO_IDENTITY_PROVIDER.log(LOG);
        } else {
            LogId.IDENTITY_PROVIDER.log(
                    LOG, config.oidc().issuer().get(), config.oidc().audience());
        }
        LogId.ROOT_KEY_OPENS.log(LOG, rootKey.activeKid(), rootKey.source());
    }

    /**
     * Makes the configured emails admins of org {@code default}, once: only while that org has no admin
     * member yet, so removing such a member later is not undone by a restart.
     */
    private Uni<Void> bootstrapAdmins() {
        List<String> emails = config.bootstrapAdmins().orElse(List.of()).stream()
                .map(String::trim)
                .filter(e -> !e.isEmpty())
                .toList();
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
        // A restart finds its organizations: no RSA key pair is made for nothing (hundreds of
        // milliseconds of start-up). An empty database generates one, then counts again under the lock.
        return Panache.withSession(organizations::count)
                .chain(existing -> existing > 0 ? Uni.createFrom().voidItem() : provisionDefault(preset));
    }

    private Uni<Void> provisionDefault(String preset) {
        return keys.newTransportKeyPair()
                .chain(pair -> Panache.withTransaction(() -> Panache.getSession()
                        .chain(s -> s.createNativeQuery("select pg_advisory_xact_lock(:lock)")
                                .setParameter("lock", BOOTSTRAP_LOCK)
                                .getSingleResult())
                        .chain(() -> organizations.count())
                        .chain(count -> {
                            if (count > 0) {
                                return Uni.createFrom().voidItem();
                            }
                            return organizationService
                                    .provision("default", pair, preset, "bootstrap")
                                    .invoke(created -> announce(
                                            created.id().toString(),
                                            created.adminApiKey().key(),
                                            preset != null))
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
                .append(" Crate: first start. Organization 'default': ")
                .append(orgId)
                .append('\n')
                .append(" Admin API key (shown once):\n\n   ")
                .append(key)
                .append("\n\n");
        if (config.embeddedDatabase() || config.devRootKey()) {
            Path file = config.dataDir().resolve("bootstrap-token");
            try {
                // mode 0600 from creation, fsync, rename, directory fsync
                dev.crate.server.support.PrivateFiles.write(
                        file, (key + "\n").getBytes(StandardCharsets.US_ASCII), true);
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
