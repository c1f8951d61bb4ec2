package dev.crate.server;

import dev.crate.server.embedded.EmbeddedDatabase;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns Crate's database settings ({@code CRATE_DB_URL}, {@code CRATE_DB_USER}, {@code CRATE_DB_PASSWORD},
 * or Quarkus's own datasource properties) into the datasource properties; none of them means embedded.
 */
record DatabaseSettings(
        Optional<String> url,
        Optional<String> user,
        Optional<String> password,
        boolean quarkusConfigured,
        Path dataDir) {

    static DatabaseSettings fromEnvironment() {
        boolean quarkus = setting("quarkus.datasource.reactive.url", "QUARKUS_DATASOURCE_REACTIVE_URL")
                .isPresent();
        Path dataDir = setting("crate.data-dir", "CRATE_DATA_DIR")
                .map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".crate", "data"));
        return new DatabaseSettings(
                setting("crate.db.url", "CRATE_DB_URL"),
                setting("crate.db.user", "CRATE_DB_USER"),
                setting("crate.db.password", "CRATE_DB_PASSWORD"),
                quarkus,
                dataDir.toAbsolutePath());
    }

    /** {@code CRATE_OIDC_ISSUER} turns the OpenID Connect tenant on (it is off by default). */
    static void enableOidcWhenConfigured() {
        if (setting("crate.oidc.issuer", "CRATE_OIDC_ISSUER").isPresent()
                && setting("quarkus.oidc.tenant-enabled", "QUARKUS_OIDC_TENANT_ENABLED")
                        .isEmpty()) {
            System.setProperty("quarkus.oidc.tenant-enabled", "true");
        }
    }

    boolean external() {
        return url.isPresent() || quarkusConfigured;
    }

    void apply() {
        url.ifPresent(value -> {
            String hostPart = normalize(value);
            System.setProperty("quarkus.datasource.reactive.url", "postgresql://" + hostPart);
            System.setProperty("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostPart);
        });
        user.ifPresent(value -> System.setProperty("quarkus.datasource.username", value));
        password.ifPresent(value -> System.setProperty("quarkus.datasource.password", value));
    }

    void applyEmbedded(EmbeddedDatabase.Starting database) {
        System.setProperty("quarkus.datasource.reactive.url", database.reactiveUrl());
        System.setProperty("quarkus.datasource.jdbc.url", database.jdbcUrl());
        System.setProperty("quarkus.datasource.username", database.user());
        System.setProperty("quarkus.datasource.password", database.password());
        System.setProperty("crate.embedded-database", "true");
        System.setProperty("crate.data-dir", dataDir.toString());
    }

    /** {@code [jdbc:]postgres[ql]://host[:port]/db[?params]} → {@code host[:port]/db[?params]}. */
    static String normalize(String url) {
        String text = url.trim();
        if (text.startsWith("jdbc:")) {
            text = text.substring(5);
        }
        URI uri = URI.create(text);
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException("CRATE_DB_URL must look like postgresql://host:5432/crate");
        }
        return text.substring(text.indexOf("://") + 3);
    }

    private static Optional<String> setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
