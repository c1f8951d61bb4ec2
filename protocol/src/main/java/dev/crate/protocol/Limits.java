package dev.crate.protocol;

import java.util.regex.Pattern;

/** Names and sizes every part of Crate agrees on (docs/API.md, section 4). */
public final class Limits {
    public static final Pattern SECRET_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,127}$");
    public static final Pattern ENVIRONMENT = Pattern.compile("^[a-z0-9][a-z0-9-]{0,31}$");
    public static final Pattern TAG = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,63}$");
    public static final Pattern TAG_COLOR = Pattern.compile("^#[0-9a-fA-F]{6}$");
    public static final int MAX_TAG_DESCRIPTION = 256;
    public static final int MAX_ORGANIZATION_NAME = 64;
    public static final Pattern ORGANIZATION_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$");
    public static final int MAX_API_KEY_NAME = 64;

    public static final int MAX_VALUE_BYTES = 64 * 1024;
    public static final int MAX_BODY_BYTES = 256 * 1024;
    public static final int MAX_TAGS_PER_SECRET = 20;
    /**
     * Names a client asks for in one retrieve at most, whatever the server's page bound (its
     * {@code crate.secrets.retrieve-max-page} is never below this); a longer list is asked for in parts.
     */
    public static final int RETRIEVE_NAMES_PER_REQUEST = 100;
    /** Names a change stream's {@code names} filter holds at most. */
    public static final int MAX_NAMES_PER_STREAM = 1000;

    public static final int MIN_CLIENT_RSA_BITS = 2048;
    /** Largest plaintext RSA-OAEP-256 can carry under an RSA-3072 key: 384 - 2*32 - 2. */
    public static final int MAX_RAW_OAEP_BYTES = 318;

    public static final String DEFAULT_ENVIRONMENT = "dev";

    private Limits() {}
}
