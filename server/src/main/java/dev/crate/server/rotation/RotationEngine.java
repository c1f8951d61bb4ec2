package dev.crate.server.rotation;

import dev.crate.protocol.wire.KeyRotation;
import dev.crate.protocol.wire.KeyStatus;
import dev.crate.protocol.wire.OrgKeyVersion;
import dev.crate.protocol.wire.RewrapProgress;
import dev.crate.protocol.wire.RootKeyInfo;
import dev.crate.protocol.wire.RootKeyStatus;
import dev.crate.protocol.wire.RotationSchedule;
import dev.crate.protocol.wire.TransportKeyInfo;
import dev.crate.server.config.CrateConfig;
import dev.crate.server.crypto.aead.Aead;
import dev.crate.server.crypto.envelope.Contexts;
import dev.crate.server.crypto.envelope.Envelope;
import dev.crate.server.crypto.rootkey.RootKeyProvider;
import dev.crate.server.crypto.sealing.TransportKeyPair;
import dev.crate.server.metrics.CrateMetrics;
import dev.crate.server.metrics.CrateMetrics.Rotation;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
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
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Rotates keys of all three tiers (DESIGN §6). Starting a rotation is one short transaction any
 * replica may run (a request, or the schedule); the slow part, re-wrapping what the old key wraps,
 * is "the job": it runs on one replica at a time, holding a PostgreSQL session advisory lock on a
 * connection of its own (a crashed replica's lock goes with its connection). The job keeps no
 * progress of its own: each batch re-wraps rows that still name an old key, in one transaction, so
 * after a crash it simply finds the rest. An old org key is retired, and its wrapped material
 * destroyed, only in a transaction that has locked it and counted no row left that names it.
 *
 * <p>All methods block: call them from worker threads.
 */
@ApplicationScoped
public class RotationEngine {
    private static final Logger LOG = Logger.getLogger(RotationEngine.class);
    /** The job's advisory lock: "crate" + "rot". */
    static final long JOB_LOCK = 0x6372617465726fL;
    private static final Duration AWAIT = Duration.ofMinutes(2);

    private final Pool pool;
    private final RootKeyProvider rootKey;
    private final CrateConfig.Rotation config;
    private final CrateMetrics metrics;
    private final AtomicBoolean again = new AtomicBoolean();
    private final Object localRun = new Object();

    RotationEngine(Pool pool, RootKeyProvider rootKey, CrateConfig config, CrateMetrics metrics) {
        this.pool = pool;
        this.rootKey = rootKey;
        this.config = config.rotation();
        this.metrics = metrics;
    }

    // ---------------------------------------------------------------- starting rotations

    /** Makes a new org key version active at once; the job then re-wraps under it. */
    public KeyRotation rotateOrgKey(UUID orgId, String trigger) {
        return inTransaction(conn -> rotateOrgKey(conn, orgId, trigger, false)).orElseThrow();
    }

    /** @param onlyIfDue re-checks, under the row lock, that the active version is due (period or usage limit) */
    private Optional<KeyRotation> rotateOrgKey(SqlConnection conn, UUID orgId, String trigger, boolean onlyIfDue) {
        Row active = lockActiveOrgKey(conn, orgId);
        if (active == null) {
            throw new IllegalStateException("org has no active org key");
        }
        int from = active.getInteger("version");
        if (onlyIfDue && !orgKeyDue(active)) {
            return Optional.empty();
        }
        int to = one(conn, "select max(version) + 1 as v from org_keys where org_id = $1", Tuple.of(orgId)).getInteger("v");
        byte[] material = Aead.newKey();
        byte[] wrapped;
        try {
            wrapped = rootKey.wrap(material, Contexts.orgKey(orgId, to));
        } finally {
            Arrays.fill(material, (byte) 0);
        }
        OffsetDateTime now = now();
        run(conn, "update org_keys set state = 'retiring' where org_id = $1 and version = $2", Tuple.of(orgId, from));
        run(conn, "insert into org_keys (id, org_id, version, root_kid, wrapped_key, state, wrap_count, created_at) "
                + "values ($1, $2, $3, $4, $5, 'active', 0, $6)",
                Tuple.from(List.of(UUID.randomUUID(), orgId, to, rootKey.activeKid(), buffer(wrapped), now)));
        KeyRotation rotation = new KeyRotation("org", "v" + from, "v" + to, trigger, "running", 0, now, null);
        record(conn, orgId, rotation);
        LOG.infof("CRATE-0030 org %s: org key v%d is active (was v%d, %s); re-wrapping data keys under it", orgId, to, from, trigger);
        return Optional.of(rotation);
    }

    /** The active org key row, locked: writers hold this lock while they wrap under it. */
    private static Row lockActiveOrgKey(SqlConnection conn, UUID orgId) {
        String sql = "select version, wrap_count, created_at from org_keys where org_id = $1 and state = 'active' for update";
        Row row = oneOrNull(conn, sql, Tuple.of(orgId));
        // A rotation that committed while we waited: the active row is another one now.
        return row != null ? row : oneOrNull(conn, sql, Tuple.of(orgId));
    }

    private boolean orgKeyDue(Row active) {
        boolean tooOld = !config.orgKeyPeriod().isZero()
                && active.getOffsetDateTime("created_at").plus(config.orgKeyPeriod()).isBefore(now());
        return tooOld || active.getLong("wrap_count") >= config.orgKeyMaxWraps();
    }

    /** Publishes a new transport key pair; the previous one stays usable for the grace period. */
    public KeyRotation rotateTransportKey(UUID orgId, String trigger, TransportKeyPair pair) {
        return inTransaction(conn -> rotateTransportKey(conn, orgId, trigger, pair, null)).orElseThrow();
    }

    private Optional<KeyRotation> rotateTransportKey(SqlConnection conn, UUID orgId, String trigger, TransportKeyPair pair,
            OffsetDateTime onlyIfCreatedBefore) {
        // Share lock on the active org key: an org-key rotation waits until this private key is stored
        // under the version we wrap it with, so its re-wrap job will find it.
        Row orgKey = one(conn, "select version, wrapped_key from org_keys where org_id = $1 and state = 'active' for share",
                Tuple.of(orgId));
        Row old = oneOrNull(conn, "select id, kid, created_at from transport_keys where org_id = $1 and state = 'active' for update",
                Tuple.of(orgId));
        if (old == null) {
            throw new IllegalStateException("org has no active transport key");
        }
        if (onlyIfCreatedBefore != null && !old.getOffsetDateTime("created_at").isBefore(onlyIfCreatedBefore)) {
            return Optional.empty();
        }
        int version = orgKey.getInteger("version");
        byte[] material = rootKey.unwrap(bytes(orgKey, "wrapped_key"), Contexts.orgKey(orgId, version));
        byte[] pkcs8 = pair.privateKey().getEncoded();
        byte[] wrapped;
        try {
            wrapped = Envelope.seal(material, Contexts.orgKeyId(version), pkcs8, Contexts.transportKey(orgId, pair.kid()));
        } finally {
            Arrays.fill(material, (byte) 0);
            Arrays.fill(pkcs8, (byte) 0);
        }
        OffsetDateTime now = now();
        run(conn, "update transport_keys set state = 'grace', grace_until = $2 where id = $1",
                Tuple.of(old.getUUID("id"), now.plus(config.transportKeyGrace())));
        run(conn, "insert into transport_keys (id, org_id, kid, public_key, org_key_version, wrapped_private_key, state, created_at) "
                + "values ($1, $2, $3, $4, $5, $6, 'active', $7)",
                Tuple.from(List.of(UUID.randomUUID(), orgId, pair.kid(), buffer(pair.publicKey().getEncoded()), version,
                        buffer(wrapped), now)));
        KeyRotation rotation = new KeyRotation("transport", old.getString("kid"), pair.kid(), trigger, "done", 0, now, now);
        record(conn, orgId, rotation);
        metrics.rotation(Rotation.TRANSPORT_KEY);
        LOG.infof("CRATE-0033 org %s: transport key %s is published; %s stays usable until %s", orgId, pair.kid(),
                old.getString("kid"), now.plus(config.transportKeyGrace()));
        return Optional.of(rotation);
    }

    /**
     * Starts re-wrapping every org key still wrapped by another root key under the active one. The
     * previous keys stay configured until the status reports them no longer needed.
     */
    public KeyRotation startRootRotation(String trigger) {
        return inTransaction(conn -> {
            run(conn, "select pg_advisory_xact_lock($1)", Tuple.of(JOB_LOCK + 1));
            Row running = oneOrNull(conn, "select * from key_rotations where tier = 'root' and state = 'running'", Tuple.tuple());
            if (running != null) {
                return Optional.of(rotation(running));
            }
            Row old = one(conn, "select count(*) as n, coalesce(string_agg(distinct root_kid, ','), '') as kids from org_keys "
                    + "where state <> 'retired' and root_kid <> $1", Tuple.of(rootKey.activeKid()));
            OffsetDateTime now = now();
            boolean nothing = old.getLong("n") == 0;
            KeyRotation rotation = new KeyRotation("root", nothing ? rootKey.activeKid() : old.getString("kids"),
                    rootKey.activeKid(), trigger, nothing ? "done" : "running", 0, now, nothing ? now : null);
            record(conn, null, rotation);
            LOG.infof("CRATE-0034 root key rotation to %s started (%d org keys to re-wrap)", rootKey.activeKid(), old.getLong("n"));
            return Optional.of(rotation);
        }).orElseThrow();
    }

    private static void record(SqlConnection conn, UUID orgId, KeyRotation r) {
        run(conn, "insert into key_rotations (id, org_id, tier, from_key, to_key, trigger, state, rewrapped, started_at, finished_at) "
                + "values ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9)",
                Tuple.from(Arrays.asList(UUID.randomUUID(), orgId, r.tier(), r.fromKey(), r.toKey(), r.trigger(), r.state(),
                        r.startedAt(), r.finishedAt())));
    }

    static KeyRotation rotation(Row row) {
        return new KeyRotation(row.getString("tier"), row.getString("from_key"), row.getString("to_key"), row.getString("trigger"),
                row.getString("state"), row.getLong("rewrapped"), row.getOffsetDateTime("started_at"),
                row.getOffsetDateTime("finished_at"));
    }

    // ---------------------------------------------------------------- the job

    @Scheduled(identity = "crate-key-rotation", every = "${crate.rotation.check-interval:1m}",
            delayed = "${crate.rotation.check-delay:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        runJob();
    }

    /** Runs the job soon on a worker thread (after an on-demand rotation). */
    public void kick() {
        again.set(true);
        Infrastructure.getDefaultWorkerPool().execute(this::runJob);
    }

    /**
     * One run of the job if no replica is running it: due scheduled rotations, grace periods that
     * ended, org-key re-wraps and retirements, the root-key re-wrap.
     *
     * @return false when another replica (or thread) holds the job lock
     */
    public boolean runJob() {
        synchronized (localRun) {
            SqlConnection conn = pool.getConnection().await().atMost(AWAIT);
            try {
                boolean locked = one(conn, "select pg_try_advisory_lock($1) as locked", Tuple.of(JOB_LOCK)).getBoolean("locked");
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
                conn.close().await().atMost(AWAIT);
            }
        }
    }

    private void work(SqlConnection conn) {
        scheduledOrgRotations(conn);
        scheduledTransportRotations(conn);
        int disabled = run(conn, "update transport_keys set state = 'disabled', disabled_at = $1 "
                + "where state = 'grace' and grace_until <= $1", Tuple.of(now())).rowCount();
        if (disabled > 0) {
            LOG.infof("CRATE-0035 %d transport key(s) reached the end of their grace period and are disabled", disabled);
        }
        for (Row row : all(conn, "select distinct org_id from org_keys where state = 'retiring'", Tuple.tuple())) {
            UUID orgId = row.getUUID("org_id");
            try {
                rewrapOrg(conn, orgId);
            } catch (RuntimeException e) {
                metrics.rotationFailure(Rotation.ORG_KEY);
                LOG.errorf("CRATE-0036 re-wrapping the data keys of org %s failed (%s); the next run resumes", orgId,
                        e.getClass().getSimpleName());
            }
        }
        if (oneOrNull(conn, "select id from key_rotations where tier = 'root' and state = 'running' limit 1", Tuple.tuple()) != null) {
            try {
                rewrapRoot(conn);
            } catch (RuntimeException e) {
                metrics.rotationFailure(Rotation.ROOT_KEY);
                LOG.errorf("CRATE-0037 re-wrapping org keys under root key %s failed (%s); the next run resumes",
                        rootKey.activeKid(), e.getClass().getSimpleName());
            }
        }
    }

    private void scheduledOrgRotations(SqlConnection conn) {
        OffsetDateTime cutoff = config.orgKeyPeriod().isZero() ? OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC) : now().minus(config.orgKeyPeriod());
        for (Row due : all(conn, "select org_id, wrap_count from org_keys where state = 'active' and (created_at < $1 or wrap_count >= $2)",
                Tuple.of(cutoff, config.orgKeyMaxWraps()))) {
            String trigger = due.getLong("wrap_count") >= config.orgKeyMaxWraps() ? "usage-limit" : "schedule";
            try {
                inTransaction(conn, c -> rotateOrgKey(c, due.getUUID("org_id"), trigger, true));
            } catch (RuntimeException e) {
                metrics.rotationFailure(Rotation.ORG_KEY);
                LOG.errorf("CRATE-0036 rotating the org key of org %s failed (%s)", due.getUUID("org_id"), e.getClass().getSimpleName());
            }
        }
    }

    private void scheduledTransportRotations(SqlConnection conn) {
        if (config.transportKeyPeriod().isZero()) {
            return;
        }
        OffsetDateTime cutoff = now().minus(config.transportKeyPeriod());
        for (Row due : all(conn, "select org_id from transport_keys where state = 'active' and created_at < $1", Tuple.of(cutoff))) {
            try {
                TransportKeyPair pair = TransportKeyPair.generate();
                inTransaction(conn, c -> rotateTransportKey(c, due.getUUID("org_id"), "schedule", pair, cutoff));
            } catch (RuntimeException e) {
                metrics.rotationFailure(Rotation.TRANSPORT_KEY);
                LOG.errorf("CRATE-0036 rotating the transport key of org %s failed (%s)", due.getUUID("org_id"),
                        e.getClass().getSimpleName());
            }
        }
    }

    /** Re-wraps an org's data keys and transport private keys under its active version, then retires old versions. */
    void rewrapOrg(SqlConnection conn, UUID orgId) {
        Map<Integer, byte[]> material = new HashMap<>();
        try {
            for (int round = 0; round < 5; round++) {
                long moved;
                do {
                    moved = inTransaction(conn, c -> Optional.of(rewrapDataKeyBatch(c, orgId, material))).orElseThrow();
                } while (moved > 0);
                inTransaction(conn, c -> Optional.of(rewrapTransportKeys(c, orgId, material)));
                if (inTransaction(conn, c -> Optional.of(retire(c, orgId))).orElseThrow()) {
                    return;
                }
            }
        } finally {
            material.values().forEach(k -> Arrays.fill(k, (byte) 0));
        }
    }

    private byte[] orgKeyMaterial(SqlConnection conn, UUID orgId, int version, Map<Integer, byte[]> material) {
        return material.computeIfAbsent(version, v -> {
            Row row = one(conn, "select wrapped_key from org_keys where org_id = $1 and version = $2", Tuple.of(orgId, v));
            return rootKey.unwrap(bytes(row, "wrapped_key"), Contexts.orgKey(orgId, v));
        });
    }

    private long rewrapDataKeyBatch(SqlConnection conn, UUID orgId, Map<Integer, byte[]> material) {
        int active = one(conn, "select version from org_keys where org_id = $1 and state = 'active'", Tuple.of(orgId)).getInteger("version");
        RowSet<Row> rows = run(conn, "select v.id, v.secret_id, v.version, v.wrapped_data_key from secret_versions v "
                + "join secrets s on s.id = v.secret_id where s.org_id = $1 and v.org_key_version <> $2 "
                + "limit $3 for update of v skip locked", Tuple.of(orgId, active, config.batchSize()));
        if (rows.size() == 0) {
            return 0;
        }
        byte[] activeKey = orgKeyMaterial(conn, orgId, active, material);
        List<Tuple> updates = new ArrayList<>(rows.size());
        for (Row row : rows) {
            byte[] wrapped = bytes(row, "wrapped_data_key");
            UUID secretId = row.getUUID("secret_id");
            int version = row.getInteger("version");
            byte[] context = Contexts.dataKey(orgId, secretId, version);
            byte[] old = orgKeyMaterial(conn, orgId, Contexts.orgKeyVersion(Envelope.keyId(wrapped)), material);
            byte[] dataKey = Envelope.open(old, wrapped, context);
            try {
                updates.add(Tuple.of(row.getUUID("id"), active, buffer(Envelope.seal(activeKey, Contexts.orgKeyId(active), dataKey, context))));
            } finally {
                Arrays.fill(dataKey, (byte) 0);
            }
        }
        conn.preparedQuery("update secret_versions set org_key_version = $2, wrapped_data_key = $3 where id = $1")
                .executeBatch(updates).await().atMost(AWAIT);
        run(conn, "update org_keys set wrap_count = wrap_count + $3 where org_id = $1 and version = $2",
                Tuple.of(orgId, active, (long) updates.size()));
        run(conn, "update key_rotations set rewrapped = rewrapped + $2 where org_id = $1 and tier = 'org' and state = 'running'",
                Tuple.of(orgId, (long) updates.size()));
        pauseForTests();
        metrics.keysRewrapped(Rotation.ORG_KEY, updates.size());
        return updates.size();
    }

    private long rewrapTransportKeys(SqlConnection conn, UUID orgId, Map<Integer, byte[]> material) {
        int active = one(conn, "select version from org_keys where org_id = $1 and state = 'active' for share", Tuple.of(orgId))
                .getInteger("version");
        RowSet<Row> rows = run(conn, "select id, kid, org_key_version, wrapped_private_key from transport_keys "
                + "where org_id = $1 and org_key_version <> $2 for update", Tuple.of(orgId, active));
        byte[] activeKey = rows.size() == 0 ? null : orgKeyMaterial(conn, orgId, active, material);
        long count = 0;
        for (Row row : rows) {
            byte[] context = Contexts.transportKey(orgId, row.getString("kid"));
            byte[] pkcs8 = Envelope.open(orgKeyMaterial(conn, orgId, row.getInteger("org_key_version"), material),
                    bytes(row, "wrapped_private_key"), context);
            try {
                run(conn, "update transport_keys set org_key_version = $2, wrapped_private_key = $3 where id = $1",
                        Tuple.of(row.getUUID("id"), active, buffer(Envelope.seal(activeKey, Contexts.orgKeyId(active), pkcs8, context))));
            } finally {
                Arrays.fill(pkcs8, (byte) 0);
            }
            count++;
        }
        if (count > 0) {
            run(conn, "update org_keys set wrap_count = wrap_count + $3 where org_id = $1 and version = $2", Tuple.of(orgId, active, count));
            run(conn, "update key_rotations set rewrapped = rewrapped + $2 where org_id = $1 and tier = 'org' and state = 'running'",
                    Tuple.of(orgId, count));
            metrics.keysRewrapped(Rotation.ORG_KEY, (int) count);
        }
        return count;
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
        for (Row row : all(conn, "select version from org_keys where org_id = $1 and state = 'retiring' for update", Tuple.of(orgId))) {
            int version = row.getInteger("version");
            long refs = one(conn, "select (select count(*) from secret_versions v join secrets s on s.id = v.secret_id "
                    + "where s.org_id = $1 and v.org_key_version = $2) + (select count(*) from transport_keys "
                    + "where org_id = $1 and org_key_version = $2) as n", Tuple.of(orgId, version)).getLong("n");
            if (refs > 0) {
                all = false;
                continue;
            }
            run(conn, "update org_keys set state = 'retired', wrapped_key = '\\x'::bytea, retired_at = $3 "
                    + "where org_id = $1 and version = $2", Tuple.of(orgId, version, now()));
            LOG.infof("CRATE-0031 org %s: org key v%d retired, its wrapped material destroyed", orgId, version);
        }
        if (all) {
            for (Row done : all(conn, "update key_rotations set state = 'done', finished_at = $2 where org_id = $1 and tier = 'org' "
                    + "and state = 'running' returning started_at", Tuple.of(orgId, now()))) {
                metrics.rotation(Rotation.ORG_KEY);
                metrics.rotationDuration(Rotation.ORG_KEY, Duration.between(done.getOffsetDateTime("started_at"), now()));
            }
        }
        return all;
    }

    /** Re-wraps org keys wrapped by an older root key under the active one, in batches; then reports the old ones unneeded. */
    void rewrapRoot(SqlConnection conn) {
        long moved;
        do {
            moved = inTransaction(conn, c -> {
                RowSet<Row> rows = run(c, "select id, org_id, version, wrapped_key from org_keys where state <> 'retired' "
                        + "and root_kid <> $1 limit $2 for update skip locked", Tuple.of(rootKey.activeKid(), config.batchSize()));
                List<Tuple> updates = new ArrayList<>();
                for (Row row : rows) {
                    byte[] context = Contexts.orgKey(row.getUUID("org_id"), row.getInteger("version"));
                    byte[] material = rootKey.unwrap(bytes(row, "wrapped_key"), context);
                    try {
                        updates.add(Tuple.of(row.getUUID("id"), rootKey.activeKid(), buffer(rootKey.wrap(material, context))));
                    } finally {
                        Arrays.fill(material, (byte) 0);
                    }
                }
                if (!updates.isEmpty()) {
                    c.preparedQuery("update org_keys set root_kid = $2, wrapped_key = $3 where id = $1").executeBatch(updates)
                            .await().atMost(AWAIT);
                    run(c, "update key_rotations set rewrapped = rewrapped + $1 where tier = 'root' and state = 'running'",
                            Tuple.of((long) updates.size()));
                    pauseForTests();
                    metrics.keysRewrapped(Rotation.ROOT_KEY, updates.size());
                }
                return Optional.of((long) updates.size());
            }).orElseThrow();
        } while (moved > 0);
        inTransaction(conn, c -> {
            long left = one(c, "select count(*) as n from org_keys where state <> 'retired' and root_kid <> $1",
                    Tuple.of(rootKey.activeKid())).getLong("n");
            if (left > 0) {
                return Optional.of(false);
            }
            for (Row done : all(c, "update key_rotations set state = 'done', finished_at = $1 where tier = 'root' and state = 'running' "
                    + "returning started_at, from_key", Tuple.of(now()))) {
                metrics.rotation(Rotation.ROOT_KEY);
                metrics.rotationDuration(Rotation.ROOT_KEY, Duration.between(done.getOffsetDateTime("started_at"), now()));
                LOG.infof("CRATE-0032 root key rotation done: every org key is wrapped by %s; root key(s) %s are no longer "
                        + "needed: remove them from the configuration (CRATE_ROOT_KEY_PREVIOUS) and keep a backup as your "
                        + "policy requires", rootKey.activeKid(), done.getString("from_key"));
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

    // ---------------------------------------------------------------- status queries

    /** Reads with a connection of its own; {@code query} must not block on anything but the database. */
    public <T> T read(Function<SqlConnection, T> query) {
        SqlConnection conn = pool.getConnection().await().atMost(AWAIT);
        try {
            return query.apply(conn);
        } finally {
            conn.close().await().atMost(AWAIT);
        }
    }

    /** An org's key versions, transport keys, schedules, re-wrap progress and recent rotations. */
    public KeyStatus orgStatus(UUID orgId) {
        return read(conn -> {
            List<OrgKeyVersion> versions = new ArrayList<>();
            Integer active = null;
            OffsetDateTime orgSince = null;
            boolean retiring = false;
            for (Row r : all(conn, "select version, state, root_kid, wrap_count, created_at, retired_at from org_keys "
                    + "where org_id = $1 order by version desc", Tuple.of(orgId))) {
                versions.add(new OrgKeyVersion(r.getInteger("version"), r.getString("state"), r.getString("root_kid"),
                        r.getLong("wrap_count"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("retired_at")));
                if ("active".equals(r.getString("state"))) {
                    active = r.getInteger("version");
                    orgSince = r.getOffsetDateTime("created_at");
                }
                retiring |= "retiring".equals(r.getString("state"));
            }
            List<TransportKeyInfo> transports = new ArrayList<>();
            OffsetDateTime transportSince = null;
            for (Row r : all(conn, "select kid, state, created_at, grace_until from transport_keys where org_id = $1 "
                    + "order by created_at desc", Tuple.of(orgId))) {
                transports.add(new TransportKeyInfo(r.getString("kid"), r.getString("state"), r.getOffsetDateTime("created_at"),
                        r.getOffsetDateTime("grace_until")));
                if ("active".equals(r.getString("state"))) {
                    transportSince = r.getOffsetDateTime("created_at");
                }
            }
            long remaining = one(conn, "select (select count(*) from secret_versions v join secrets s on s.id = v.secret_id "
                    + "where s.org_id = $1 and v.org_key_version <> $2) + (select count(*) from transport_keys "
                    + "where org_id = $1 and org_key_version <> $2) as n", Tuple.of(orgId, active == null ? -1 : active)).getLong("n");
            long rewrapped = one(conn, "select coalesce(sum(rewrapped), 0)::bigint as n from key_rotations "
                    + "where org_id = $1 and tier = 'org' and state = 'running'", Tuple.of(orgId)).getLong("n");
            List<KeyRotation> recent = new ArrayList<>();
            all(conn, "select * from key_rotations where org_id = $1 order by started_at desc limit 10", Tuple.of(orgId))
                    .forEach(r -> recent.add(rotation(r)));
            return new KeyStatus(versions, transports, schedule(orgSince, config.orgKeyPeriod()),
                    schedule(transportSince, config.transportKeyPeriod()), new RewrapProgress(retiring, rewrapped, remaining), recent);
        });
    }

    private static RotationSchedule schedule(OffsetDateTime since, Duration period) {
        return new RotationSchedule(since, since == null || period.isZero() ? null : since.plus(period),
                period.isZero() ? null : period.toString());
    }

    /** The root keys in use, which configured previous keys are no longer needed, and the root re-wrap progress. */
    public RootKeyStatus rootStatus() {
        return read(conn -> {
            Map<String, Long> counts = new java.util.TreeMap<>();
            all(conn, "select root_kid, count(*) as n from org_keys where state <> 'retired' group by root_kid", Tuple.tuple())
                    .forEach(r -> counts.put(r.getString("root_kid"), r.getLong("n")));
            java.util.Set<String> kids = new java.util.TreeSet<>(counts.keySet());
            kids.addAll(rootKey.kids());
            List<RootKeyInfo> keys = new ArrayList<>();
            List<String> unneeded = new ArrayList<>();
            for (String kid : kids) {
                long n = counts.getOrDefault(kid, 0L);
                boolean configured = rootKey.kids().contains(kid);
                boolean activeKid = kid.equals(rootKey.activeKid());
                keys.add(new RootKeyInfo(kid, configured, activeKid, n, n > 0));
                if (configured && !activeKid && n == 0) {
                    unneeded.add(kid);
                }
            }
            long remaining = counts.entrySet().stream().filter(e -> !e.getKey().equals(rootKey.activeKid()))
                    .mapToLong(Map.Entry::getValue).sum();
            Row running = oneOrNull(conn, "select rewrapped from key_rotations where tier = 'root' and state = 'running' limit 1",
                    Tuple.tuple());
            List<KeyRotation> recent = new ArrayList<>();
            all(conn, "select * from key_rotations where tier = 'root' order by started_at desc limit 10", Tuple.tuple())
                    .forEach(r -> recent.add(rotation(r)));
            return new RootKeyStatus(rootKey.activeKid(), rootKey.source(), keys, unneeded,
                    new RewrapProgress(running != null, running == null ? 0 : running.getLong("rewrapped"), remaining), recent);
        });
    }

    // ---------------------------------------------------------------- SQL helpers

    private <T> Optional<T> inTransaction(Function<SqlConnection, Optional<T>> work) {
        SqlConnection conn = pool.getConnection().await().atMost(AWAIT);
        try {
            return inTransaction(conn, work);
        } finally {
            conn.close().await().atMost(AWAIT);
        }
    }

    private static <T> Optional<T> inTransaction(SqlConnection conn, Function<SqlConnection, Optional<T>> work) {
        Transaction tx = conn.begin().await().atMost(AWAIT);
        Optional<T> result;
        try {
            result = work.apply(conn);
        } catch (RuntimeException | Error e) {
            try {
                tx.rollback().await().atMost(AWAIT);
            } catch (RuntimeException ignored) {
                // the connection is gone; the server rolls back
            }
            throw e;
        }
        tx.commit().await().atMost(AWAIT);
        return result;
    }

    static RowSet<Row> run(SqlConnection conn, String sql, Tuple args) {
        return conn.preparedQuery(sql).execute(args).await().atMost(AWAIT);
    }

    static List<Row> all(SqlConnection conn, String sql, Tuple args) {
        List<Row> rows = new ArrayList<>();
        run(conn, sql, args).forEach(rows::add);
        return rows;
    }

    static Row oneOrNull(SqlConnection conn, String sql, Tuple args) {
        var it = run(conn, sql, args).iterator();
        return it.hasNext() ? it.next() : null;
    }

    static Row one(SqlConnection conn, String sql, Tuple args) {
        Row row = oneOrNull(conn, sql, args);
        if (row == null) {
            throw new IllegalStateException("expected a row");
        }
        return row;
    }

    private static io.vertx.core.buffer.Buffer buffer(byte[] bytes) {
        return io.vertx.core.buffer.Buffer.buffer(bytes);
    }

    private static byte[] bytes(Row row, String column) {
        return row.getDelegate().getBuffer(column).getBytes();
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
