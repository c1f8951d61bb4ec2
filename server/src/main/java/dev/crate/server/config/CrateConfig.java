package dev.crate.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Crate's own settings ({@code crate.*}, or {@code CRATE_*} in the environment). */
@ConfigMapping(prefix = "crate")
public interface CrateConfig {

    /** Embedded database, dev root key and bootstrap key file live here. */
    @WithDefault("${user.home}/.crate/data")
    Path dataDir();

    /** Base64 of 32 random bytes. */
    Optional<String> rootKey();

    /** A file holding the base64 root key. */
    Optional<Path> rootKeyFile();

    /**
     * Older root keys, kept only to unwrap org keys until a root-key rotation has re-wrapped them
     * (comma-separated base64, {@code CRATE_ROOT_KEY_PREVIOUS}). Never used to wrap.
     */
    Optional<java.util.List<String>> rootKeyPrevious();

    /** A file with older root keys, one base64 key per line ({@code CRATE_ROOT_KEY_PREVIOUS_FILE}). */
    Optional<Path> rootKeyPreviousFile();

    /** A root key inside a PKCS#11 token (HSM), used instead of CRATE_ROOT_KEY when {@code library} is set. */
    Pkcs11 pkcs11();

    /** PKCS#11 settings ({@code CRATE_PKCS11_*}). */
    interface Pkcs11 {
        /** Path of the vendor's PKCS#11 module (.so); setting it selects the HSM root key provider. */
        Optional<String> library();

        /** Slot id of the token (as {@code softhsm2-util --show-slots} or the vendor's tool prints it). */
        Optional<Integer> slot();

        /** Index in the module's slot list, when no slot id is given (default 0). */
        Optional<Integer> slotListIndex();

        /** User PIN. Prefer {@link #pinFile()}. */
        Optional<String> pin();

        /** File holding the user PIN. */
        Optional<Path> pinFile();

        /** Label (CKA_LABEL) of the active AES-256 root key object in the token. */
        @WithDefault("crate-root-key")
        String keyLabel();

        /** Labels of older root keys in the same token, unwrap only. */
        Optional<java.util.List<String>> previousKeyLabels();

        /** Generate the key inside the token (non-extractable) when no object has {@link #keyLabel()}. */
        @WithDefault("false")
        boolean generateKey();
    }

    /** Set by the launcher when it started the embedded PostgreSQL. */
    @WithDefault("false")
    boolean embeddedDatabase();

    /** Generate and keep a dev root key in the data directory when none is configured (embedded setups only). */
    @WithDefault("false")
    boolean devRootKey();

    /** Create org {@code default} and an admin API key on a first start. */
    @WithDefault("true")
    boolean bootstrapEnabled();

    /** Presets the bootstrap admin API key (for automation). */
    Optional<String> bootstrapToken();

    /** Emails made admins of org {@code default} (they become admins when they first log in). */
    Optional<java.util.List<String>> bootstrapAdmins();

    /** The identity provider. */
    Oidc oidc();

    /** OpenID Connect settings ({@code CRATE_OIDC_*}). */
    interface Oidc {
        /** Issuer URL; none means API keys only. */
        Optional<String> issuer();

        /** The audience Crate's access tokens must carry. */
        @WithDefault("crate")
        String audience();

        /** The public client the CLI uses for the device flow. */
        @WithDefault("crate-cli")
        String cliClientId();

        @WithDefault("openid,profile,email,offline_access")
        java.util.List<String> cliScopes();

        /** The public client the web console uses for the authorization code flow with PKCE (docs/CONSOLE.md). */
        @WithDefault("crate-console")
        String consoleClientId();
    }

    /** How long unwrapped org keys and transport private keys stay cached. */
    @WithDefault("5m")
    Duration keyCacheTtl();

    /** Key rotation ({@code CRATE_ROTATION_*}). */
    Rotation rotation();

    /** Schedules and limits of the rotation jobs. */
    interface Rotation {
        /** How often the job looks for due rotations, ended grace periods and unfinished re-wraps ({@code off} disables). */
        @WithDefault("1m")
        String checkInterval();

        /** Delay of the first check after start. */
        @WithDefault("5s")
        String checkDelay();

        /** Rotate each org key this often (0: never by schedule). */
        @WithDefault("90d")
        Duration orgKeyPeriod();

        /** Rotate an org key once it has wrapped this many keys (AES-GCM random nonces stay well below 2^32 uses). */
        @WithDefault("4000000000")
        long orgKeyMaxWraps();

        /** Rotate each transport key pair this often (0: never by schedule). */
        @WithDefault("30d")
        Duration transportKeyPeriod();

        /** How long a replaced transport key still opens sealed values. */
        @WithDefault("24h")
        Duration transportKeyGrace();

        /** Wrapped keys re-wrapped per transaction. */
        @WithDefault("500")
        int batchSize();

        /** Pause inside each re-wrap transaction, before it commits. For crash tests only. */
        @WithDefault("0s")
        Duration batchDelay();

        /** How long a replica keeps using its view of an org's transport keys before it looks again. */
        @WithDefault("10s")
        Duration keyRefresh();
    }

    /** The database connection ({@code CRATE_DB_*}; the URL, user and password are read by the launcher). */
    Db db();

    /** How long requests wait for the database (docs/OPERATIONS.md, section 2). */
    interface Db {
        /** The URL ({@code CRATE_DB_URL}); read by the launcher, which sets the datasource from it. */
        Optional<String> url();

        /** The user ({@code CRATE_DB_USER}); read by the launcher. */
        Optional<String> user();

        /** The password ({@code CRATE_DB_PASSWORD}); read by the launcher. */
        Optional<String> password();

        /**
         * The longest a request waits for a pool connection, including opening a new one; after it, the
         * request answers 503 {@code service_unavailable}. Also the TCP connect timeout.
         */
        @WithDefault("3s")
        Duration connectWait();

        /** PostgreSQL's {@code statement_timeout} on the pool's connections (0: none). */
        @WithDefault("15s")
        Duration statementTimeout();
    }

    /** How often readiness proves again that the root key opens the stored org keys (0: on every probe). */
    @WithDefault("30s")
    Duration readinessKeyCheckInterval();

    /**
     * Readiness probes of the database that must fail in a row before the replica reports DOWN; one
     * slow answer under load does not take it out of service (docs/OPERATIONS.md, section 2).
     */
    @WithDefault("3")
    int readinessFailures();

    /** The audit trail ({@code CRATE_AUDIT_*}). */
    Audit audit();

    /** Audit trail settings. */
    interface Audit {
        /**
         * Record reads of values. Only the audit on/off benchmark turns this off; a vault that does not
         * record who read what is not doing its job.
         */
        @WithDefault("true")
        boolean reads();

        /** How long records are kept; older ones are removed, leaving a checkpoint the chain verifies from. */
        @WithDefault("90d")
        Duration retention();

        /**
         * Denied attempts of one kind (org, caller, action, reason) after the first within this window are
         * counted and written as one aggregate record when it closes (docs/SECURITY.md); 0 writes each one.
         */
        @WithDefault("1m")
        Duration denialWindow();

        /** Kinds of denial tracked at once per replica; beyond it every open window is closed early. */
        @WithDefault("10000")
        int denialKinds();
    }

    /** Secret history ({@code CRATE_SECRETS_*}). */
    Secrets secrets();

    /** Secret history settings. */
    interface Secrets {
        /** Versions kept per secret; older ones are pruned by a scheduled job. */
        @WithDefault("100")
        int maxVersions();

        /**
         * The most secrets one retrieve answers (docs/API.md, section 5): a retrieve without {@code names}
         * answers pages of at most this many (its {@code limit}, 1 to this, defaults to it), and
         * {@code names} or {@code versions} may hold at most this many names. Values below 100 count as
         * 100: the web console and the CLI ask for 100 names at a time.
         */
        @WithDefault("500")
        int retrieveMaxPage();
    }

    /** Organization creation ({@code CRATE_ORGANIZATIONS_*}). */
    Organizations organizations();

    /** Organization creation settings. */
    interface Organizations {
        /**
         * Organizations one caller may create per hour on one replica (each costs an RSA-3072 key
         * generation); more answer 429 {@code rate_limited} with {@code Retry-After}. 0 turns the bound off.
         */
        @WithDefault("10")
        int createPerHour();
    }

    /** The in-memory cache of API keys, organizations and environments ({@code CRATE_CALLER_CACHE_*}). */
    CallerCache callerCache();

    /** Caller cache settings; a change counts from the next request on every replica whatever they are. */
    interface CallerCache {
        /** Entries per kind (API keys, organizations, environments); 0 turns the cache off. */
        @WithDefault("10000")
        int maxEntries();

        /** The longest an entry is used before it is read again, a safety net behind the invalidation (0: off). */
        @WithDefault("30s")
        Duration ttl();
    }

    /** The LISTEN/NOTIFY connection of {@code notify.Notifications} ({@code CRATE_NOTIFICATIONS_*}). */
    Notifications notifications();

    /** LISTEN/NOTIFY settings. */
    interface Notifications {
        /** First wait before reconnecting a dropped listener connection; doubled per failed attempt. */
        @WithDefault("200ms")
        Duration reconnectMin();

        /** Longest wait between reconnection attempts. */
        @WithDefault("5s")
        Duration reconnectMax();

        /** How often the idle listener connection is checked with a query (a silently dead one is replaced). */
        @WithDefault("30s")
        Duration pingInterval();
    }

    /** The secret change stream ({@code CRATE_EVENTS_*}, docs/API.md section 5b). */
    Events events();

    /** Change stream settings. */
    interface Events {
        /** How long change events are kept; a resume from an older event id gets a {@code reset}. */
        @WithDefault("24h")
        Duration retention();

        /** How often an idle stream gets a heartbeat comment (and the caller's access is checked again). */
        @WithDefault("15s")
        Duration heartbeat();

        /** Open streams per caller (API key or user) on one replica. */
        @WithDefault("16")
        int maxStreamsPerCaller();

        /** Open streams per organization on one replica. */
        @WithDefault("500")
        int maxStreamsPerOrg();

        /**
         * Items one stream may have waiting to be written to a client that does not read them; one more
         * closes the stream (the client resumes with {@code Last-Event-ID}, losing nothing).
         */
        @WithDefault("1000")
        int maxQueuedPerStream();
    }

    /** Workload identity ({@code CRATE_WORKLOAD_*}; docs/API.md, section 14). */
    Workload workload();

    /** Fetching and trusting bound issuers' tokens. */
    interface Workload {
        /** Connect and read timeout of each discovery or key-set fetch. */
        @WithDefault("5s")
        Duration httpTimeout();

        /** Largest discovery document or key set accepted, in bytes. */
        @WithDefault("262144")
        int maxDocumentBytes();

        /** An unknown {@code kid} refetches an issuer's key set at most this often. */
        @WithDefault("30s")
        Duration jwksRefreshMinInterval();

        /** Cached key sets are refetched after this long, so withdrawn keys stop working. */
        @WithDefault("10m")
        Duration jwksMaxAge();

        /** Clock skew allowed on {@code exp}, {@code nbf} and {@code iat}. */
        @WithDefault("30s")
        Duration clockSkew();
    }
}
