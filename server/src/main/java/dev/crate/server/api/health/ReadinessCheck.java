package dev.crate.server.api.health;

import dev.crate.server.config.CrateConfig;
import dev.crate.server.config.DatabasePool;
import dev.crate.server.keys.RootKeyCheck;
import dev.crate.server.log.LogId;
import dev.crate.server.support.DatabaseServed;
import dev.crate.server.support.DatabaseUnavailable;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Ready means "this replica can serve" (docs/OPERATIONS.md, section 2): a bounded probe query answers
 * (on readiness' own connection, so a busy pool does not make it fail; the pool is the fallback when
 * that connection cannot be opened), the root key opens the stored org keys, and the data directory
 * is writable where this replica owns it (embedded database, dev root key). The database counts as
 * gone only after {@code crate.readiness.failures} probes in a row failed: one slow answer under load
 * must not drain every replica at once. The key check is repeated every {@code
 * crate.readiness-key-check-interval}, so a database swapped for one of another installation takes the
 * replica out of service with the reason in the details: key ids only, never key material.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements AsyncHealthCheck {
    private static final Logger LOG = Logger.getLogger(ReadinessCheck.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration KEY_CHECK_TIMEOUT = Duration.ofSeconds(3);
    private static final long SERVED_WITHIN_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long STORAGE_CHECK_NANOS = Duration.ofSeconds(5).toNanos();
    private static final String PROBE_QUERY =
            "select version as v from flyway_schema_history where success order by installed_rank desc limit 1";
    static final String STORAGE_PROBE_FILE = ".readiness-probe";

    private final Pool pool;
    private final DatabasePool pools;
    private final RootKeyCheck startup;
    private final long intervalNanos;
    private final int failuresBeforeDown;
    private final Optional<Path> ownedStorage;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile String schema;
    private volatile KeyCheck lastKeyCheck;
    private volatile StorageCheck lastStorageCheck;
    private volatile Boolean lastReady;

    private record KeyCheck(Optional<String> problem, long at) {}

    private record StorageCheck(Optional<String> problem, long at) {}

    ReadinessCheck(Pool pool, DatabasePool pools, RootKeyCheck startup, CrateConfig config) {
        this.pool = pool;
        this.pools = pools;
        this.startup = startup;
        this.intervalNanos = config.readinessKeyCheckInterval().toNanos();
        this.failuresBeforeDown = Math.max(1, config.readinessFailures());
        this.ownedStorage =
                config.embeddedDatabase() || config.devRootKey() ? Optional.of(config.dataDir()) : Optional.empty();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return database().chain(current -> {
            if (current != null) {
                failures.set(0);
                schema = current;
            } else if (failures.incrementAndGet() >= failuresBeforeDown || schema == null) {
                return Uni.createFrom()
                        .item(report(crate().down()
                                .withData("database", "unreachable or not migrated")
                                .build()));
            }
            HealthCheckResponseBuilder builder = crate().withData(
                            "database", current != null ? "up" : "probe failed (" + failures.get() + " in a row)")
                    .withData("schema_version", schema);
            return keys().chain(keyProblem -> storage().map(storageProblem -> {
                if (keyProblem.isPresent()) {
                    return report(builder.down()
                            .withData("root_key", "does not open the stored org keys")
                            .withData("reason", keyProblem.get())
                            .build());
                }
                builder.withData("root_key", "verified");
                if (storageProblem.isPresent()) {
                    return report(builder.down()
                            .withData("storage", storageProblem.get())
                            .build());
                }
                ownedStorage.ifPresent(dir -> builder.withData("storage", "writable"));
                return report(builder.up().build());
            }));
        });
    }

    /** The schema version from a bounded probe query, or null when the database did not answer. */
    private Uni<String> database() {
        Uni<String> own =
                pools.probe().map(this::probe).orElseGet(() -> Uni.createFrom().nullItem());
        return own.chain(version -> version != null ? Uni.createFrom().item(version) : probe(pool));
    }

    private Uni<String> probe(Pool target) {
        return target.query(PROBE_QUERY)
                .execute()
                .ifNoItem()
                .after(PROBE_TIMEOUT)
                .fail()
                .map(rows -> rows.iterator().next().getString("v"))
                .onFailure()
                .recoverWithItem(failure -> busyButServing(failure) ? schema : null);
    }

    /**
     * The probe failed for a reason of the database's (no connection at a connection limit, every
     * pool connection in use, a connection closed under it) or took longer than its timeout, while
     * requests of this replica were served within the last seconds: the database is busy or the
     * machine loaded, not gone, and this replica serves. In a real outage no request is served, and
     * readiness goes DOWN once the last success is older than that.
     */
    private static boolean busyButServing(Throwable failure) {
        boolean databaseOrSlow =
                DatabaseUnavailable.in(failure) || failure instanceof io.smallrye.mutiny.TimeoutException;
        return databaseOrSlow && DatabaseServed.within(SERVED_WITHIN_NANOS);
    }

    private Uni<Optional<String>> keys() {
        if (!startup.keysVerified()) {
            return Uni.createFrom().item(Optional.of("the root key has not been verified yet"));
        }
        KeyCheck last = lastKeyCheck;
        if (last != null && System.nanoTime() - last.at() < intervalNanos) {
            return Uni.createFrom().item(last.problem());
        }
        return startup.rootKeyProblem()
                .ifNoItem()
                .after(KEY_CHECK_TIMEOUT)
                .fail()
                .onFailure()
                .recoverWithItem(failure -> {
                    // A busy or briefly unreachable database is the probe's business, not the key's:
                    // keep what the last check found.
                    if (DatabaseUnavailable.in(failure) || failure instanceof io.smallrye.mutiny.TimeoutException) {
                        return last == null ? Optional.empty() : last.problem();
                    }
                    return Optional.of("the stored org keys could not be read");
                })
                .invoke(problem -> lastKeyCheck = new KeyCheck(problem, System.nanoTime()));
    }

    /** Whether the data directory this replica owns takes a write and an fsync (checked every 5 s at most). */
    private Uni<Optional<String>> storage() {
        if (ownedStorage.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        StorageCheck last = lastStorageCheck;
        if (last != null && System.nanoTime() - last.at() < STORAGE_CHECK_NANOS) {
            return Uni.createFrom().item(last.problem());
        }
        Path dir = ownedStorage.get();
        return Uni.createFrom()
                .item(() -> writable(dir))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .invoke(problem -> lastStorageCheck = new StorageCheck(problem, System.nanoTime()));
    }

    static Optional<String> writable(Path dir) {
        Path probe = dir.resolve(STORAGE_PROBE_FILE);
        try (FileChannel channel = FileChannel.open(
                probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[4096]));
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            return Optional.of(dir + " is not writable (" + e.getClass().getSimpleName() + ")");
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException | RuntimeException ignored) {
                // reported above when it matters
            }
        }
        return Optional.empty();
    }

    /** Logs a change of state: the reason when the replica stops being ready, a line when it is again. */
    private HealthCheckResponse report(HealthCheckResponse response) {
        boolean ready = response.getStatus() == HealthCheckResponse.Status.UP;
        Boolean before = lastReady;
        lastReady = ready;
        if (before != null && before != ready) {
            if (ready) {
                LogId.READY_AGAIN.log(LOG);
            } else {
                LogId.NOT_READY.log(
                        LOG, response.getData().map(Object::toString).orElse("{}"));
            }
        }
        return response;
    }

    private static HealthCheckResponseBuilder crate() {
        return HealthCheckResponse.named("crate");
    }
}
