package dev.crate.server.identity;

import dev.crate.server.config.CrateConfig;
import dev.crate.server.log.LogId;
import dev.crate.server.notify.Notifications;
import dev.crate.server.notify.Publish;
import dev.crate.server.support.BoundedCache;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * What every request looks up before its own work, kept in memory so a warm request does not ask
 * PostgreSQL again (ARCHITECTURE.md, section 2.1): API keys by the SHA-256 of the key (never the key
 * itself), organizations by id, and which environments exist. Only lookups that succeeded are kept: an
 * unknown, revoked or expired key, a missing organization or environment is asked again every time, so
 * no caller can fill the cache with entries of its choosing. Bounded in size and in age ({@code
 * crate.caller-cache.*}; the age is only a safety net).
 *
 * <p>A change that must count from the next request (a key revoked, an org or its environments
 * changed) calls {@link #announce} inside its transaction and {@link #changed} after the commit: the
 * writing replica drops the org's entries at once, the others when PostgreSQL delivers the notification
 * the commit released ({@link #onNotification}, through {@code notify.Notifications}). While the
 * listener connection is down nothing is served from memory, and the whole cache goes when it is back
 * ({@link #flush}), since notifications sent meanwhile are lost. Members of users are not cached: their role and removal are read on every request.
 */
@ApplicationScoped
public class CallerCache {
    /** The PostgreSQL notification channel; the payload is an org id. */
    public static final String CHANNEL = "crate_callers";

    private static final Logger LOG = Logger.getLogger(CallerCache.class);

    /** A working API key: who it is, until when, and when its use was last recorded. */
    record CachedKey(
            UUID id,
            UUID orgId,
            SecurityIdentity identity,
            OffsetDateTime expiresAt,
            AtomicReference<OffsetDateTime> lastUsedAt) {}

    /** An environment of an org, by name. */
    private record Environment(UUID orgId, String name) {}

    private final BoundedCache<String, CachedKey> apiKeys;
    private final BoundedCache<UUID, OrganizationRecord> organizations;
    private final BoundedCache<Environment, UUID> environments; // value: the org id
    private final OrganizationRepository organizationRows;
    private final Notifications notifications;
    private final CrateConfig.CallerCache settings;

    CallerCache(CrateConfig config, OrganizationRepository organizationRows, Notifications notifications) {
        this.settings = config.callerCache();
        this.apiKeys = new BoundedCache<>(settings.maxEntries(), settings.ttl());
        this.organizations = new BoundedCache<>(settings.maxEntries(), settings.ttl());
        this.environments = new BoundedCache<>(settings.maxEntries(), settings.ttl());
        this.organizationRows = organizationRows;
        this.notifications = notifications;
    }

    /** Listens from the start: invalidations from every replica, and a flush after a gap in them. */
    void start(@Observes StartupEvent event) {
        if (!apiKeys.enabled()) {
            LogId.CALLER_CACHE_OFF.log(LOG);
            return;
        }
        notifications.subscribe(CHANNEL, this::onNotification);
        notifications.onReconnect(() -> {
            flush();
            LogId.CALLER_CACHE_FLUSHED.log(LOG);
        });
        LogId.CALLER_CACHE_ON.log(LOG, settings.maxEntries(), settings.ttl(), CHANNEL);
    }

    /**
     * Entries are used only while the listener connection is up: while it is down, notifications are
     * lost, so every request reads PostgreSQL (and what was kept before goes at the reconnect).
     */
    private boolean usable() {
        return notifications.listening();
    }

    private static String key(byte[] keyHash) {
        return HexFormat.of().formatHex(keyHash);
    }

    CachedKey apiKey(byte[] keyHash) {
        return usable() ? apiKeys.get(key(keyHash)) : null;
    }

    long apiKeyGeneration() {
        return apiKeys.generation();
    }

    void rememberApiKey(byte[] keyHash, CachedKey key, long seenGeneration) {
        if (usable()) {
            apiKeys.put(key(keyHash), key, seenGeneration);
        }
    }

    /** The organization, from memory or (inside or outside a session) from its row; null when there is none. */
    public Uni<OrganizationRecord> organization(UUID id) {
        OrganizationRecord cached = usable() ? organizations.get(id) : null;
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        long generation = organizations.generation();
        return Panache.withSession(() -> organizationRows.findById(id)).map(row -> {
            if (row == null) {
                return null;
            }
            OrganizationRecord copy = new OrganizationRecord();
            copy.id = row.id;
            copy.name = row.name;
            copy.createdAt = row.createdAt;
            copy.allowUnboundSealedValues = row.allowUnboundSealedValues;
            if (usable()) {
                organizations.put(id, copy, generation);
            }
            return copy;
        });
    }

    /** Whether the org's environment {@code name} is known to exist (false: look it up). */
    public boolean knownEnvironment(UUID orgId, String name) {
        return usable() && environments.get(new Environment(orgId, name)) != null;
    }

    public long environmentGeneration() {
        return environments.generation();
    }

    /** After a lookup found it (read {@link #environmentGeneration()} before the lookup). */
    public void rememberEnvironment(UUID orgId, String name, long seenGeneration) {
        if (usable()) {
            environments.put(new Environment(orgId, name), orgId, seenGeneration);
        }
    }

    /**
     * Inside the writer's transaction: tells every replica, once the transaction commits, that what the
     * org's callers resolve to changed. Nothing is sent when it rolls back.
     */
    public Uni<Void> announce(UUID orgId) {
        return Panache.getSession().chain(session -> Publish.inTransaction(session, CHANNEL, orgId.toString()));
    }

    /** After the writer's commit, on the writing replica: the org's entries go at once. */
    public void changed(UUID orgId) {
        apiKeys.invalidateIf(k -> k.orgId().equals(orgId));
        organizations.invalidateIf(o -> o.id.equals(orgId));
        environments.invalidateIf(orgId::equals);
    }

    /** A notification on {@link #CHANNEL} from any replica (this one included). */
    public void onNotification(String payload) {
        UUID orgId;
        try {
            orgId = UUID.fromString(payload);
        } catch (IllegalArgumentException | NullPointerException e) {
            flush();
            return;
        }
        changed(orgId);
    }

    /** Everything goes: the listener lost its connection, so notifications may have been missed. */
    public void flush() {
        apiKeys.clear();
        organizations.clear();
        environments.clear();
    }

    /** Entries held now, for the tests. */
    public int size() {
        return apiKeys.size() + organizations.size() + environments.size();
    }
}
