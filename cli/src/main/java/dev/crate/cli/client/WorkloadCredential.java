package dev.crate.cli.client;

import dev.crate.cli.session.WorkloadSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Crate token obtained with a workload token ({@code CRATE_WORKLOAD_TOKEN_FILE}, {@code CRATE_WORKLOAD_TOKEN}),
 * kept in memory only and exchanged anew, with the source read again, shortly before it expires. One per
 * server, organization and source in a process, so that the commands of {@code crate shell} share it.
 */
public final class WorkloadCredential {
    /** How long before its expiry a Crate token is replaced. */
    static final Duration MARGIN = Duration.ofSeconds(30);

    /** Exchanges a platform token for a Crate token. */
    public interface Exchanger {
        WorkloadExchange.Issued exchange(String subjectToken);
    }

    private static final Map<String, WorkloadCredential> PROCESS = new ConcurrentHashMap<>();

    private final WorkloadSource source;
    private final Exchanger exchanger;
    private final Clock clock;
    private WorkloadExchange.Issued current;

    WorkloadCredential(WorkloadSource source, Exchanger exchanger, Clock clock) {
        this.source = source;
        this.exchanger = exchanger;
        this.clock = clock;
    }

    /** This process's credential for {@code source} at {@code server} in {@code orgId}. */
    public static WorkloadCredential of(String server, String orgId, WorkloadSource source) {
        return PROCESS.computeIfAbsent(
                server + "\n" + orgId + "\n" + source.label(),
                k -> new WorkloadCredential(
                        source,
                        subjectToken -> WorkloadExchange.exchange(server, orgId, subjectToken, source.label()),
                        Clock.systemUTC()));
    }

    /** The Crate token, exchanged first if there is none yet or it expires within {@link #MARGIN}. */
    public synchronized String token() {
        if (current == null || expiresSoon(current.expiresAt(), clock.instant())) {
            current = exchanger.exchange(source.read());
        }
        return current.accessToken();
    }

    /**
     * Forgets the Crate token after the server refused it (its binding's rules changed, or it was ended), so
     * that the next {@link #token} exchanges the platform token again.
     */
    public synchronized void forget() {
        current = null;
    }

    /** True when a token expiring at {@code expiresAt} should be replaced now; unknown expiry means use it once. */
    static boolean expiresSoon(Instant expiresAt, Instant now) {
        return expiresAt == null || !now.plus(MARGIN).isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "WorkloadCredential[" + source.label() + "]";
    }
}
