package dev.crate.server.keys.rotation;

import static dev.crate.server.keys.rotation.Sql.all;
import static dev.crate.server.keys.rotation.Sql.buffer;
import static dev.crate.server.keys.rotation.Sql.bytes;
import static dev.crate.server.keys.rotation.Sql.inTransaction;
import static dev.crate.server.keys.rotation.Sql.now;
import static dev.crate.server.keys.rotation.Sql.one;
import static dev.crate.server.keys.rotation.Sql.oneOrNull;
import static dev.crate.server.keys.rotation.Sql.run;

import dev.crate.server.config.CrateConfig;
import dev.crate.server.crypto.AuditMac;
import dev.crate.server.crypto.KeyHierarchy;
import dev.crate.server.crypto.rootkey.RootKeyProvider;
import dev.crate.server.crypto.sealing.TransportKeyPair;
import dev.crate.server.domain.OrgKey;
import dev.crate.server.keys.KeyService;
import dev.crate.server.keys.OrgKeyState;
import dev.crate.server.keys.TransportKeyState;
import dev.crate.server.log.LogId;
import dev.crate.server.metrics.CrateMetrics;
import dev.crate.server.metrics.CrateMetrics.Rotation;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The rotation job: due scheduled rotations, ended grace periods, org-key re-wraps and
 * retirements, the root-key re-wrap. It runs on one replica at a time, holding a PostgreSQL
 * session advisory lock on a connection of its own (a crashed replica's lock goes with its
 * connection). It keeps no progress of its own: each batch re-wraps rows that still name an old
 * key, in one transaction, so after a crash the next run simply finds the rest. An old org key is
 * retired, and its wrapped material destroyed, only in a transaction that has locked it and
 * counted no row left that names it.
 *
 * <p>All methods block: call them from worker threads.
 *
 * <p>Over 500 lines on purpose: the job's steps share one connection, its lock and the batch
 * bookkeeping, and each is a short SQL transaction read best beside the others.
 */
@ApplicationScoped
public class RewrapJob {
    private static final Logger LOG = Logger.getLogger(RewrapJob.class);
    /** The job's advisory lock: "crate" + "ro". */
    static final long JOB_LOCK = 0x6372617465726fL;

    private final KeyService keys;
    private final Pool pool;
    private final RootKeyProvider rootKey;
    private final CrateConfig.Rotation config;
    private final CrateMetrics metrics;
    private final RotationEngine starter;
    private final AtomicBoolean again = new AtomicBoolean();
    private final Object localRun = new Object();
    private volatile boolean stopping;

    RewrapJob(
            Pool pool,
            RootKeyProvider rootKey,
            CrateConfig config,
            CrateMetrics metrics,
            RotationEngine starter,
            KeyService keys) {
        this.pool = pool;
        this.keys = keys;
        this.rootKey = rootKey;
        this.config = config.rotation();
        this.metrics = metrics;
        this.starter = starter;
    }

    @Scheduled(
            identity = "crate-key-rotation",
            every = "${crate.rotation.check-interval:1m}",
            delayed = "${crate.rotation.check-delay:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (stopping) {
            return;
        }
        try {
            runJob();
        } catch (RuntimeException e) {
            if (stopping) {
                // the database pool closed under a run that had started: nothing was half-done (batches are
                // transactions)
                LOG.debugf(
                        "the key rotation job stopped with the server (%s)",
                        e.getClass().getSimpleName());
                return;
            }
            // the database is unreachable or the like; the job keeps no progress of its own, so the next run resumes
            LogId.ROTATION_JOB_NOT_RUN.log(LOG, e.getClass().getSimpleName());
        }
    }

    void stopping(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Runs the job soon on a worker thread (after an on-demand rotation). */
    public void kick() {
        again.set(true);
        Infrastructure.getDefaultWorkerPool().execute(this::tick);
    }

    /**
     * One run of the job if no replica is running it: due scheduled rotations, grace periods that
     * ended, org-key re-wraps and retirements, the root-key re-wrap.
     *
     * @return false when another replica (or thread) holds the job lock
     */
    public boolean runJob() {
        synchronized (localRun) {
            SqlConnection conn = pool.getConnection().await().atMost(Sql.AWAIT);
            try {
                boolean locked = one(conn, "select pg_try_advisory_lock($1) as locked", Tuple.of(JOB_LOCK))
                        .getBoolean("locked");
                if (!locked) {
                    return false;
                }
                try {
                    do {
                        again.set(false);
                        work(conn);
                    } while (again.get());
                } finally {
                    run(conn, "select pg_advisory_unlock($1)", Tuple.of(JOB_LOCK));
                }
                return true;
            } finally {
                conn.close().await().atMost(Sql.AWAIT);
            }
        }
    }

    private void work(SqlConnection conn) {
        scheduledOrgRotations(conn);
        scheduledTransportRotations(conn);
        RowSet<Row> disabledRows = run(
                conn,
                "update transport_keys set state = " + TransportKeyState.DISABLED.literal()
                        + ", disabled_at = $1, " + "wrapped_private_key = '\\x'::bytea where state = "
                        + TransportKeyState.GRACE.literal() + " and grace_until <= $1 returning org_id, kid",
                Tuple.of(now()));
        int disabled = disabledRows.rowCount();
        // this replica's cached private halves go now; other replicas' within crate.key-cache-ttl
        disabledRows.forEach(r -> keys.transportKeyDisabled(r.getUUID("org_id"), r.getString("kid")));
        if (disabled > 0) {
            LogId.TRANSPORT_KEYS_EXPIRED.log(LOG, disabled);
        }
        for (Row row : all(
                conn,
                "select distinct org_id from org_keys where state = " + OrgKeyState.RETIRING.literal(),
                Tuple.tuple())) {
            UUID orgId = row.getUUID("org_id");
            try {
                rewrapOrg(conn, orgId);
            } catch (RuntimeException e) {
                metrics.rotationFailure(Rotation.ORG_KEY);
                LogId.ORG_ROTATION_FAILED.log(
                        LOG,
                        "re-wrapping the data keys",
                        orgId,
                        e.getClass().getSimpleName(),
                        "; the next run resumes");
            }
        }
        Row rootRotation = oneOrNull(
                conn,
                "select to_key from key_rotations where tier = 'root' and state = 'running' limit 1",
                Tuple.tuple());
        if (rootRotation != null && !rootKey.activeKid().equals(rootRotation.getString("to_key"))) {
            // A replica whose configuration is not (yet) the one the rotation was started with: re-wrapping
            // under its own active key would undo the rotation. A replica configured like the starter does it.
            LogId.ROOT_KEY_REWRAP_LEFT_TO_OTHERS.log(
                    LOG, rootRotation.getString("to_key"), rootKey.activeKid(), rootRotation.getString("to_key"));
        } else if (rootRotation != null) {
            try {
                rewrapRoot(conn);
            } catch (RuntimeException e) {
                metrics.rotationFailure(Rotation.ROOT_KEY);
                LogId.ROOT_KEY_REWRAP_FAILED.log(
                        LOG, rootKey.activeKid(), e.getClass().getSimpleName());
            }
        }
    }

    private void scheduledOrgRotations(SqlConnection conn) {
        OffsetDateTime cutoff = config.orgKeyPeriod().isZero()
                ? OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)
                : now().minus(config.orgKeyPeriod());
        for (Row due : all(
                conn,
                "select org_id, wrap_count from org_keys where state = " + OrgKeyState.ACTIVE.literal()
                        + " and (created_at < $1 or wrap_count >= $2)",
                Tuple.of(cutoff, config.orgKeyMaxWraps()))) {
            String trigger = due.getLong("wrap_count") >= config.orgKeyMaxWraps() ? "usage-limit" : "schedule";
            try {
                inTransaction(conn, c -> starter.rotateOrgKey(c, due.getUUID("org_id"), trigger, true, null));
            } catch (RuntimeException e) {
                metrics.rotationFailure(Rotation.ORG_KEY);
                LogId.ORG_ROTATION_FAILED.log(
                        LOG,
                        "rotating the org key",
                        due.getUUID("org_id"),
                        e.getClass().getSimpleName(),
                        "");
            }
        }
    }

    private void scheduledTransportRotations(SqlConnection conn) {
        if (config.transportKeyPeriod().isZero()) {
            return;
        }
        OffsetDateTime cutoff = now().minus(config.transportKeyPeriod());
        for (Row due : all(
                conn,
                "select org_id from transport_keys where state = " + TransportKeyState.ACTIVE.literal()
                        + " and created_at < $1",
                Tuple.of(cutoff))) {
            try {
                TransportKeyPair pair = TransportKeyPair.generate();
                inTransaction(
                        conn,
                        c -> starter.rotateTransportKey(c, due.getUUID("org_id"), "schedule", pair, cutoff, null));
            } catch (RuntimeException e) {
                metrics.rotationFailure(Rotation.TRANSPORT_KEY);
                LogId.ORG_ROTATION_FAILED.log(
                        LOG,
                        "rotating the transport key",
                        due.getUUID("org_id"),
                        e.getClass().getSimpleName(),
                        "");
            }
        }
    }

    /** Re-wraps an org's data keys and transport private keys under its active version, then retires old versions. */
    void rewrapOrg(SqlConnection conn, UUID orgId) {
        Map<Integer, OrgKey> material = new HashMap<>();
        try {
            for (int round = 0; round < 5; round++) {
                long moved;
                do {
                    moved = inTransaction(conn, c -> Optional.of(rewrapDataKeyBatch(c, orgId, material)))
                            .orElseThrow();
                } while (moved > 0);
                inTransaction(
                        conn,
                        c -> Optional.of(
                                rewrapTransportKeys(c, orgId, material) + remacCheckpoint(c, orgId, material)));
                if (inTransaction(conn, c -> Optional.of(retire(c, orgId))).orElseThrow()) {
                    return;
                }
            }
        } finally {
            material.values().forEach(k -> Arrays.fill(k.material(), (byte) 0));
        }
    }

    private OrgKey orgKey(SqlConnection conn, UUID orgId, int version, Map<Integer, OrgKey> material) {
        return material.computeIfAbsent(version, v -> {
            Row row = one(
                    conn, "select wrapped_key from org_keys where org_id = $1 and version = $2", Tuple.of(orgId, v));
            return KeyHierarchy.unwrapOrgKey(rootKey, orgId, v, bytes(row, "wrapped_key"));
        });
    }

    private long rewrapDataKeyBatch(SqlConnection conn, UUID orgId, Map<Integer, OrgKey> material) {
        int active = one(
                        conn,
                        "select version from org_keys where org_id = $1 and state = " + OrgKeyState.ACTIVE.literal(),
                        Tuple.of(orgId))
                .getInteger("version");
        RowSet<Row> rows = run(
                conn,
                "select v.id, v.secret_id, v.version, v.wrapped_data_key from secret_versions v "
                        + "join secrets s on s.id = v.secret_id where s.org_id = $1 and v.org_key_version <> $2 "
                        + "limit $3 for update of v skip locked",
                Tuple.of(orgId, active, config.batchSize()));
        if (rows.size() == 0) {
            return 0;
        }
        OrgKey activeKey = orgKey(conn, orgId, active, material);
        List<Tuple> updates = new ArrayList<>(rows.size());
        for (Row row : rows) {
            byte[] wrapped = bytes(row, "wrapped_data_key");
            UUID secretId = row.getUUID("secret_id");
            int version = row.getInteger("version");
            byte[] rewrapped = KeyHierarchy.rewrapDataKey(
                    v -> orgKey(conn, orgId, v, material), activeKey, secretId, version, wrapped);
            updates.add(Tuple.of(row.getUUID("id"), active, buffer(rewrapped)));
        }
        conn.preparedQuery("update secret_versions set org_key_version = $2, wrapped_data_key = $3 where id = $1")
                .executeBatch(updates)
                .await()
                .atMost(Sql.AWAIT);
        run(
                conn,
                "update org_keys set wrap_count = wrap_count + $3 where org_id = $1 and version = $2",
                Tuple.of(orgId, active, (long) updates.size()));
        run(
                conn,
                "update key_rotations set rewrapped = rewrapped + $2 where org_id = $1 and tier = 'org' and state = 'running'",
                Tuple.of(orgId, (long) updates.size()));
        pauseForTests();
        metrics.keysRewrapped(Rotation.ORG_KEY, updates.size());
        return updates.size();
    }

    private long rewrapTransportKeys(SqlConnection conn, UUID orgId, Map<Integer, OrgKey> material) {
        int active = one(
                        conn,
                        "select version from org_keys where org_id = $1 and state = " + OrgKeyState.ACTIVE.literal()
                                + " for share",
                        Tuple.of(orgId))
                .getInteger("version");
        RowSet<Row> rows = run(
                conn,
                "select id, kid, org_key_version, wrapped_private_key from transport_keys "
                        + "where org_id = $1 and org_key_version <> $2 and state <> "
                        + TransportKeyState.DISABLED.literal() + " for update",
                Tuple.of(orgId, active));
        OrgKey activeKey = rows.size() == 0 ? null : orgKey(conn, orgId, active, material);
        long count = 0;
        for (Row row : rows) {
            byte[] rewrapped = KeyHierarchy.rewrapTransportKey(
                    orgKey(conn, orgId, row.getInteger("org_key_version"), material),
                    activeKey,
                    row.getString("kid"),
                    bytes(row, "wrapped_private_key"));
            run(
                    conn,
                    "update transport_keys set org_key_version = $2, wrapped_private_key = $3 where id = $1",
                    Tuple.of(row.getUUID("id"), active, buffer(rewrapped)));
            count++;
        }
        if (count > 0) {
            run(
                    conn,
                    "update org_keys set wrap_count = wrap_count + $3 where org_id = $1 and version = $2",
                    Tuple.of(orgId, active, count));
            run(
                    conn,
                    "update key_rotations set rewrapped = rewrapped + $2 where org_id = $1 and tier = 'org' and state = 'running'",
                    Tuple.of(orgId, count));
            metrics.keysRewrapped(Rotation.ORG_KEY, (int) count);
        }
        return count;
    }

    /**
     * The org's audit checkpoint (retention) is authenticated by a MAC under a key derived from an org key
     * version ({@link AuditMac}): moves it to the active version. A checkpoint whose MAC does not verify is
     * never laundered: it gets an empty MAC, so verification keeps reporting it.
     */
    private long remacCheckpoint(SqlConnection conn, UUID orgId, Map<Integer, OrgKey> material) {
        int active = one(
                        conn,
                        "select version from org_keys where org_id = $1 and state = " + OrgKeyState.ACTIVE.literal()
                                + " for share",
                        Tuple.of(orgId))
                .getInteger("version");
        Row row = oneOrNull(
                conn,
                "select seq, hash, removed_before, org_key_version, mac from audit_checkpoints "
                        + "where org_id = $1 and org_key_version <> $2 for update",
                Tuple.of(orgId, active));
        if (row == null) {
            return 0;
        }
        long seq = row.getLong("seq");
        byte[] hash = bytes(row, "hash");
        long removedBefore = AuditMac.micros(row.getOffsetDateTime("removed_before"));
        boolean valid = AuditMac.verify(
                orgKey(conn, orgId, row.getInteger("org_key_version"), material).material(),
                orgId,
                seq,
                hash,
                removedBefore,
                bytes(row, "mac"));
        byte[] mac = valid
                ? AuditMac.mac(orgKey(conn, orgId, active, material).material(), orgId, seq, hash, removedBefore)
                : new byte[0];
        run(
                conn,
                "update audit_checkpoints set org_key_version = $2, mac = $3 where org_id = $1",
                Tuple.of(orgId, active, buffer(mac)));
        return 0;
    }

    /**
     * Retires the org's retiring versions that nothing names any more. The version's row is locked
     * first, so a writer that claimed it before the rotation has committed (or we wait for it); then
     * a fresh count sees every row that names it.
     *
     * @return true when no retiring version is left
     */
    private boolean retire(SqlConnection conn, UUID orgId) {
        boolean all = true;
        for (Row row : all(
                conn,
                "select version from org_keys where org_id = $1 and state = " + OrgKeyState.RETIRING.literal()
                        + " for update",
                Tuple.of(orgId))) {
            int version = row.getInteger("version");
            long refs = one(
                            conn,
                            "select (select count(*) from secret_versions v join secrets s on s.id = v.secret_id "
                                    + "where s.org_id = $1 and v.org_key_version = $2) + (select count(*) from transport_keys "
                                    + "where org_id = $1 and org_key_version = $2 and state <> "
                                    + TransportKeyState.DISABLED.literal() + ") + (select count(*) "
                                    + "from audit_checkpoints where org_id = $1 and org_key_version = $2) as n",
                            Tuple.of(orgId, version))
                    .getLong("n");
            if (refs > 0) {
                all = false;
                continue;
            }
            run(
                    conn,
                    "update org_keys set state = " + OrgKeyState.RETIRED.literal()
                            + ", wrapped_key = '\\x'::bytea, retired_at = $3 " + "where org_id = $1 and version = $2",
                    Tuple.of(orgId, version, now()));
            LogId.ORG_KEY_RETIRED.log(LOG, orgId, version);
            // this replica's unwrapped copy goes (and is zeroed) now; other replicas' within crate.key-cache-ttl
            keys.orgKeyRetired(orgId, version);
        }
        if (all) {
            for (Row done : all(
                    conn,
                    "update key_rotations set state = 'done', finished_at = $2 where org_id = $1 and tier = 'org' "
                            + "and state = 'running' returning started_at",
                    Tuple.of(orgId, now()))) {
                metrics.rotation(Rotation.ORG_KEY);
                metrics.rotationDuration(
                        Rotation.ORG_KEY, Duration.between(done.getOffsetDateTime("started_at"), now()));
            }
        }
        return all;
    }

    /** Re-wraps org keys wrapped by an older root key under the active one, in batches; then reports the old ones unneeded. */
    void rewrapRoot(SqlConnection conn) {
        long moved;
        do {
            moved = inTransaction(conn, c -> {
                        RowSet<Row> rows = run(
                                c,
                                "select id, org_id, version, wrapped_key from org_keys where state <> "
                                        + OrgKeyState.RETIRED.literal() + " "
                                        + "and root_kid <> $1 limit $2 for update skip locked",
                                Tuple.of(rootKey.activeKid(), config.batchSize()));
                        List<Tuple> updates = new ArrayList<>();
                        for (Row row : rows) {
                            byte[] rewrapped = KeyHierarchy.rewrapOrgKey(
                                    rootKey,
                                    row.getUUID("org_id"),
                                    row.getInteger("version"),
                                    bytes(row, "wrapped_key"));
                            updates.add(Tuple.of(row.getUUID("id"), rootKey.activeKid(), buffer(rewrapped)));
                        }
                        if (!updates.isEmpty()) {
                            c.preparedQuery("update org_keys set root_kid = $2, wrapped_key = $3 where id = $1")
                                    .executeBatch(updates)
                                    .await()
                                    .atMost(Sql.AWAIT);
                            run(
                                    c,
                                    "update key_rotations set rewrapped = rewrapped + $1 where tier = 'root' and state = 'running'",
                                    Tuple.of((long) updates.size()));
                            pauseForTests();
                            metrics.keysRewrapped(Rotation.ROOT_KEY, updates.size());
                        }
                        return Optional.of((long) updates.size());
                    })
                    .orElseThrow();
        } while (moved > 0);
        inTransaction(conn, c -> {
            long left = one(
                            c,
                            "select count(*) as n from org_keys where state <> " + OrgKeyState.RETIRED.literal()
                                    + " and root_kid <> $1",
                            Tuple.of(rootKey.activeKid()))
                    .getLong("n");
            if (left > 0) {
                return Optional.of(false);
            }
            for (Row done : all(
                    c,
                    "update key_rotations set state = 'done', finished_at = $1 where tier = 'root' and state = 'running' "
                            + "returning started_at, from_key",
                    Tuple.of(now()))) {
                metrics.rotation(Rotation.ROOT_KEY);
                metrics.rotationDuration(
                        Rotation.ROOT_KEY, Duration.between(done.getOffsetDateTime("started_at"), now()));
                LogId.ROOT_KEY_ROTATION_DONE.log(LOG, rootKey.activeKid(), done.getString("from_key"));
            }
            return Optional.of(true);
        });
    }

    private void pauseForTests() {
        if (!config.batchDelay().isZero()) {
            try {
                Thread.sleep(config.batchDelay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
