package dev.crate.server.config;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reactive pool with Crate's bounds on waiting for PostgreSQL (docs/OPERATIONS.md, section 2):
 * a request waits at most {@code crate.db.connect-wait} for a connection (the pool's connection
 * timeout, and the TCP connect timeout of a new one), and each statement at most {@code
 * crate.db.statement-timeout}. A connection PostgreSQL closed (a restart, a terminated backend)
 * leaves the pool at once, and a new one is opened on the next request, so the first request after
 * PostgreSQL answers again succeeds.
 */
@ApplicationScoped
public class DatabasePool implements PgPoolCreator {
    private final CrateConfig.Db db;
    private volatile io.vertx.mutiny.sqlclient.Pool probe;

    DatabasePool(CrateConfig config) {
        this.db = config.db();
    }

    @Override
    @SuppressWarnings("deprecation") // Quarkus casts what a PgPoolCreator returns to PgPool
    public Pool create(Input input) {
        PoolOptions pool = new PoolOptions(input.poolOptions())
                .setConnectionTimeout(millis(db.connectWait()))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        List<PgConnectOptions> targets = input.pgConnectOptionsList().stream()
                .map(PgConnectOptions::new)
                .map(this::bounded)
                .toList();
        // readiness' own connection: its probe never queues behind requests for a busy pool
        probe = io.vertx.mutiny.sqlclient.Pool.newInstance(PgPool.pool(
                input.vertx(),
                targets,
                new PoolOptions()
                        .setMaxSize(1)
                        // closed when idle: between probes it holds no slot of a tight connection limit
                        .setIdleTimeout(1)
                        .setIdleTimeoutUnit(TimeUnit.SECONDS)
                        .setName("crate-readiness")
                        .setConnectionTimeout(millis(db.connectWait()))
                        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)));
        return PgPool.pool(input.vertx(), targets, pool);
    }

    /** Readiness' pool of one connection, once the main pool exists (else empty). */
    public java.util.Optional<io.vertx.mutiny.sqlclient.Pool> probe() {
        return java.util.Optional.ofNullable(probe);
    }

    @jakarta.annotation.PreDestroy
    void close() {
        io.vertx.mutiny.sqlclient.Pool p = probe;
        if (p != null) {
            p.closeAndForget();
        }
    }

    private PgConnectOptions bounded(PgConnectOptions options) {
        options.setConnectTimeout(millis(db.connectWait()));
        long statementTimeout = db.statementTimeout().toMillis();
        if (statementTimeout > 0) {
            options.addProperty("statement_timeout", Long.toString(statementTimeout));
        }
        return options;
    }

    private static int millis(java.time.Duration duration) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
    }
}
