package dev.crate.server;

import dev.crate.server.log.LogId;
import dev.crate.server.support.DatabaseUnavailable;
import java.net.BindException;
import org.jboss.logging.Logger;

/**
 * A start that failed names its cause in one ERROR line with a log id (docs/OPERATIONS.md, section 9):
 * a taken port, an unreachable database, a refused root key. Quarkus hands the failure to the exit
 * handler; left there it would be lost (the last line of the log would be an INFO line).
 */
final class StartFailure {
    private static final Logger LOG = Logger.getLogger(CrateMain.class);

    private StartFailure() {}

    /** Logs why the start failed; the exit code the launcher ends with. */
    static int report(int code, Throwable failure) {
        if (failure == null) {
            return code;
        }
        String cause = describe(failure);
        LogId.START_FAILED.log(LOG, cause);
        // The log may already be shut down this late: the line goes to stderr as well, once.
        if (!LOG.isEnabled(Logger.Level.ERROR)) {
            System.err.println(LogId.START_FAILED.format(cause));
        }
        return code == 0 ? 1 : code;
    }

    /** What an operator should read: the cause and what to do, never a stack trace or a secret. */
    static String describe(Throwable failure) {
        Throwable port = find(failure, BindException.class, "io.quarkus.runtime.QuarkusBindException");
        if (port != null) {
            String http = System.getProperty("quarkus.http.port", System.getenv("QUARKUS_HTTP_PORT"));
            return "the HTTP port" + (http == null ? "" : " " + http)
                    + " is in use by another process: stop it or choose another port (QUARKUS_HTTP_PORT)";
        }
        String database = DatabaseUnavailable.reason(failure);
        if (database != null || find(failure, null, "org.postgresql.util.PSQLException") != null) {
            return "the database cannot be reached or refused the connection ("
                    + (database != null ? database : rootMessage(failure))
                    + "): check CRATE_DB_URL, CRATE_DB_USER, CRATE_DB_PASSWORD and that PostgreSQL is running";
        }
        Throwable refused = find(
                failure,
                null,
                "dev.crate.server.keys.StartupRefusedException",
                "dev.crate.server.embedded.EmbeddedDatabaseException",
                "dev.crate.server.crypto.rootkey.InvalidRootKeyException");
        if (refused != null) {
            return refused.getMessage();
        }
        return failure.getClass().getSimpleName() + ": " + rootMessage(failure);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }

    private static Throwable find(Throwable failure, Class<? extends Throwable> type, String... names) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type != null && type.isInstance(t)) {
                return t;
            }
            for (String name : names) {
                for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
                    if (c.getName().equals(name)) {
                        return t;
                    }
                }
            }
            for (Throwable suppressed : t.getSuppressed()) {
                Throwable found = find(suppressed, type, names);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
