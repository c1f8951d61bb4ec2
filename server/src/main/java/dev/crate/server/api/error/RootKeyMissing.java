package dev.crate.server.api.error;

import dev.crate.server.crypto.rootkey.UnknownRootKeyException;
import dev.crate.server.log.LogId;
import org.jboss.logging.Logger;

/**
 * A request that needs an org key wrapped by a root key this replica does not hold: a root-key
 * rotation half rolled out (a replica restarted with the new key only, or still on the old one
 * after the re-wrap). Not the client's doing: 503 for the client, the missing kid (an identifier,
 * never key material) for the operator. Shared by REST and gRPC.
 */
public final class RootKeyMissing {
    private static final Logger LOG = Logger.getLogger(RootKeyMissing.class);

    public static final String DETAIL = "this server cannot open the organization's keys right now; try again later";

    private RootKeyMissing() {}

    /** The missing root key behind {@code t}, or null. */
    public static UnknownRootKeyException in(Throwable t) {
        for (Throwable cause = t; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof UnknownRootKeyException missing) {
                return missing;
            }
        }
        return null;
    }

    public static void log(UnknownRootKeyException missing, String requestId) {
        LogId.ROOT_KEY_MISSING.log(LOG, requestId, missing.kid());
    }
}
