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
    }

    /** How long unwrapped org keys and transport private keys stay cached. */
    @WithDefault("5m")
    Duration keyCacheTtl();

    /** How often readiness proves again that the root key opens the stored org keys (0: on every probe). */
    @WithDefault("30s")
    Duration readinessKeyCheckInterval();

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
    }

    /** Secret history ({@code CRATE_SECRETS_*}). */
    Secrets secrets();

    /** Secret history settings. */
    interface Secrets {
        /** Versions kept per secret; older ones are pruned by a scheduled job. */
        @WithDefault("100")
        int maxVersions();
    }
}
