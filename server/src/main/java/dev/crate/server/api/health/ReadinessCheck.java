package dev.crate.server.api.health;

import dev.crate.server.config.CrateConfig;
import dev.crate.server.keys.RootKeyCheck;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the database answers with its migrations applied and the root key opens the stored org
 * keys. The key check is repeated every {@code crate.readiness-key-check-interval}, so a database
 * swapped for one of another installation (a wrong restore, a failover to the wrong cluster) takes
 * the replica out of service with the reason in the details: key ids only, never key material.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements AsyncHealthCheck {
    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(3);
    private final Pool pool;
    private final RootKeyCheck startup;
    private final long intervalNanos;
    private volatile KeyCheck lastKeyCheck;

    private record KeyCheck(Optional<String> problem, long at) {}

    ReadinessCheck(Pool pool, RootKeyCheck startup, CrateConfig config) {
        this.pool = pool;
        this.startup = startup;
        this.intervalNanos = config.readinessKeyCheckInterval().toNanos();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.query(
                        "select version as v from flyway_schema_history where success order by installed_rank desc limit 1")
                .execute()
                .ifNoItem()
                .after(DATABASE_TIMEOUT)
                .fail()
                .map(rows -> rows.iterator().next().getString("v"))
                .onFailure()
                .recoverWithNull()
                .chain(schema -> schema == null
                        ? Uni.createFrom()
                                .item(crate().down()
                                        .withData("database", "unreachable or not migrated")
                                        .build())
                        : keys().map(problem -> withKeys(
                                crate().withData("database", "up").withData("schema_version", schema), problem)));
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
                .after(DATABASE_TIMEOUT)
                .fail()
                .onFailure()
                .recoverWithItem(Optional.of("the stored org keys could not be read"))
                .invoke(problem -> lastKeyCheck = new KeyCheck(problem, System.nanoTime()));
    }

    private static HealthCheckResponse withKeys(HealthCheckResponseBuilder builder, Optional<String> problem) {
        return problem.map(reason -> builder.down()
                        .withData("root_key", "does not open the stored org keys")
                        .withData("reason", reason))
                .orElseGet(() -> builder.up().withData("root_key", "verified"))
                .build();
    }

    private static HealthCheckResponseBuilder crate() {
        return HealthCheckResponse.named("crate");
    }
}
