package dev.crate.server.embedded;

/** How the PostgreSQL programs are run. */
enum RunAs {
    /** Directly, as the JVM's own (non-root) user. */
    CURRENT_USER,
    /** As root, inside {@code unshare -U}, where PostgreSQL sees itself as an unmapped, unprivileged uid. */
    USER_NAMESPACE,
    /** As root, through {@code runuser -u <account> --}, on a data directory owned by that account. */
    OTHER_USER
}
