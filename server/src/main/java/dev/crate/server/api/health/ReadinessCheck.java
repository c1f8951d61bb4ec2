package dev.crate.server.api.health;

import dev.crate.server.service.StartupService;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the database answers and the root key has proven it opens the stored org keys. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements AsyncHealthCheck {
    private final Pool pool;
    private final StartupService startup;

    ReadinessCheck(Pool pool, StartupService startup) {
        this.pool = pool;
        this.startup = startup;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.query("select 1").execute()
                .ifNoItem().after(Duration.ofSeconds(3)).fail()
                .map(rows -> HealthCheckResponse.named("crate").status(startup.keysVerified())
                        .withData("database", "up").withData("root_key", startup.keysVerified() ? "verified" : "not verified")
                        .build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("crate").down()
                        .withData("database", "unreachable").build());
    }
}
