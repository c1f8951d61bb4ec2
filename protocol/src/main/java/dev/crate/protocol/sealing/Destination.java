package dev.crate.protocol.sealing;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Where a sealed value is meant to be stored: the organization id, the environment and the secret name.
 * Clients bind it into what they seal (docs/API.md, section 6) so that the server refuses a
 * value captured on its way to one destination and replayed into another.
 *
 * <ul>
 *   <li>raw RSA-OAEP: the OAEP label is the UTF-8 of {@code crate/v1/<org>/<environment>/<name>}, the org id
 *       in its canonical lowercase form (36 characters); environment and name cannot hold a {@code /}, so the
 *       label names exactly one destination;
 *   <li>JWE: the protected header carries {@code crate_org}, {@code crate_env} and {@code crate_name} (strings,
 *       the same three values); AES-GCM authenticates the protected header, so they cannot be swapped.
 * </ul>
 */
public record Destination(String org, String environment, String name) {
    public static final String LABEL_PREFIX = "crate/v1/";
    public static final String HEADER_ORG = "crate_org";
    public static final String HEADER_ENVIRONMENT = "crate_env";
    public static final String HEADER_NAME = "crate_name";

    public Destination {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(name, "name");
        org = canonicalOrg(org);
    }

    public static Destination of(UUID org, String environment, String name) {
        return new Destination(org.toString(), environment, name);
    }

    /** The OAEP label of a raw RSA-OAEP value bound to this destination. */
    public byte[] oaepLabel() {
        return (LABEL_PREFIX + org + "/" + environment + "/" + name).getBytes(StandardCharsets.UTF_8);
    }

    /** A UUID in its canonical form; anything else as given (the server then refuses it as another destination). */
    private static String canonicalOrg(String org) {
        try {
            return UUID.fromString(org.trim()).toString();
        } catch (IllegalArgumentException e) {
            return org.toLowerCase(Locale.ROOT);
        }
    }
}
