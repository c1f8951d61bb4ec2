package dev.crate.server.keys.rotation;

import static dev.crate.server.keys.rotation.Sql.buffer;
import static dev.crate.server.keys.rotation.Sql.bytes;
import static dev.crate.server.keys.rotation.Sql.inTransaction;
import static dev.crate.server.keys.rotation.Sql.now;
import static dev.crate.server.keys.rotation.Sql.one;
import static dev.crate.server.keys.rotation.Sql.oneOrNull;
import static dev.crate.server.keys.rotation.Sql.run;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.wire.KeyRotation;
import dev.crate.server.audit.AuditAction;
import dev.crate.server.audit.AuditEntry;
import dev.crate.server.audit.AuditService;
import dev.crate.server.audit.AuditWriter;
import dev.crate.server.config.CrateConfig;
import dev.crate.server.crypto.KeyHierarchy;
import dev.crate.server.crypto.aead.Aead;
import dev.crate.server.crypto.rootkey.RootKeyProvider;
import dev.crate.server.crypto.sealing.TransportKeyPair;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.OrgKey;
import dev.crate.server.keys.OrgKeyState;
import dev.crate.server.keys.TransportKeyState;
import dev.crate.server.log.LogId;
import dev.crate.server.metrics.CrateMetrics;
import dev.crate.server.metrics.CrateMetrics.Rotation;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Starts rotations of all three tiers (ARCHITECTURE.md, section 3.4): each is one short transaction that any replica
 * may run, for a request or for the schedule. The slow part, re-wrapping what the old key wraps,
 * is {@link RewrapJob}'s.
 *
 * <p>All methods block: call them from worker threads.
 */
@ApplicationScoped
public class RotationEngine {
    private static final Logger LOG = Logger.getLogger(RotationEngine.class);

    private final Pool pool;
    private final RootKeyProvider rootKey;
    private final CrateConfig.Rotation config;
    private final CrateMetrics metrics;
    private final AuditService audit;

    RotationEngine(Pool pool, RootKeyProvider rootKey, CrateConfig config, CrateMetrics metrics, AuditService audit) {
        this.audit = audit;
        this.pool = pool;
        this.rootKey = rootKey;
        this.config = config.rotation();
        this.metrics = metrics;
    }

    /** Makes a new org key version active at once; the job then re-wraps under it. */
    public KeyRotation rotateOrgKey(UUID orgId, String trigger, Caller caller) {
        return inTransaction(pool, conn -> rotateOrgKey(conn, orgId, trigger, false, caller))
                .orElseThrow();
    }

    /**
     * @param onlyIfDue re-checks, under the row lock, that the active version is due (period or usage limit)
     * @param caller who asked, for the audit record; null for the server's own schedule
     */
    Optional<KeyRotation> rotateOrgKey(
            SqlConnection conn, UUID orgId, String trigger, boolean onlyIfDue, Caller caller) {
        Row active = lockActiveOrgKey(conn, orgId);
        if (active == null) {
            throw new IllegalStateException("org has no active org key");
        }
        int from = active.getInteger("version");
        if (onlyIfDue && !orgKeyDue(active)) {
            return Optional.empty();
        }
        int to = one(conn, "select max(version) + 1 as v from org_keys where org_id = $1", Tuple.of(orgId))
                .getInteger("v");
        byte[] material = Aead.newKey();
        byte[] wrapped;
        try {
            wrapped = KeyHierarchy.wrapOrgKey(rootKey, orgId, to, material);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
        OffsetDateTime now = now();
        run(
                conn,
                "update org_keys set state = " + OrgKeyState.RETIRING.literal() + " where org_id = $1 and version = $2",
                Tuple.of(orgId, from));
        run(
                conn,
                "insert into org_keys (id, org_id, version, root_kid, wrapped_key, state, wrap_count, created_at) "
                        + "values ($1, $2, $3, $4, $5, " + OrgKeyState.ACTIVE.literal() + ", 0, $6)",
                Tuple.from(List.of(UUID.randomUUID(), orgId, to, rootKey.activeKid(), buffer(wrapped), now)));
        KeyRotation rotation = new KeyRotation("org", "v" + from, "v" + to, trigger, "running", 0, now, null);
        record(conn, orgId, rotation);
        audit(conn, orgId, AuditAction.KEY_ROTATE, caller, rotation);
        LogId.ORG_KEY_ROTATED.log(LOG, orgId, to, from, trigger);
        return Optional.of(rotation);
    }

    /** The active org key row, locked: writers hold this lock while they wrap under it. */
    private static Row lockActiveOrgKey(SqlConnection conn, UUID orgId) {
        String sql = "select version, wrap_count, created_at from org_keys where org_id = $1 and state = "
                + OrgKeyState.ACTIVE.literal() + " for update";
        Row row = oneOrNull(conn, sql, Tuple.of(orgId));
        // A rotation that committed while we waited: the active row is another one now.
        return row != null ? row : oneOrNull(conn, sql, Tuple.of(orgId));
    }

    private boolean orgKeyDue(Row active) {
        boolean tooOld = !config.orgKeyPeriod().isZero()
                && active.getOffsetDateTime("created_at")
                        .plus(config.orgKeyPeriod())
                        .isBefore(now());
        return tooOld || active.getLong("wrap_count") >= config.orgKeyMaxWraps();
    }

    /** Publishes a new transport key pair; the previous one stays usable for the grace period. */
    public KeyRotation rotateTransportKey(UUID orgId, String trigger, TransportKeyPair pair, Caller caller) {
        return inTransaction(pool, conn -> rotateTransportKey(conn, orgId, trigger, pair, null, caller))
                .orElseThrow();
    }

    Optional<KeyRotation> rotateTransportKey(
            SqlConnection conn,
            UUID orgId,
            String trigger,
            TransportKeyPair pair,
            OffsetDateTime onlyIfCreatedBefore,
            Caller caller) {
        // Share lock on the active org key: an org-key rotation waits until this private key is stored
        // under the version we wrap it with, so its re-wrap job will find it.
        Row orgKey = one(
                conn,
                "select version, wrapped_key from org_keys where org_id = $1 and state = "
                        + OrgKeyState.ACTIVE.literal() + " for share",
                Tuple.of(orgId));
        Row old = oneOrNull(
                conn,
                "select id, kid, created_at from transport_keys where org_id = $1 and state = "
                        + TransportKeyState.ACTIVE.literal() + " for update",
                Tuple.of(orgId));
        if (old == null) {
            throw new IllegalStateException("org has no active transport key");
        }
        if (onlyIfCreatedBefore != null && !old.getOffsetDateTime("created_at").isBefore(onlyIfCreatedBefore)) {
            return Optional.empty();
        }
        int version = orgKey.getInteger("version");
        OrgKey key = KeyHierarchy.unwrapOrgKey(rootKey, orgId, version, bytes(orgKey, "wrapped_key"));
        byte[] pkcs8 = pair.privateKey().getEncoded();
        byte[] wrapped;
        try {
            wrapped = KeyHierarchy.wrapTransportKey(key, pair.kid(), pkcs8);
        } finally {
            Arrays.fill(key.material(), (byte) 0);
            Arrays.fill(pkcs8, (byte) 0);
        }
        OffsetDateTime now = now();
        run(
                conn,
                "update transport_keys set state = " + TransportKeyState.GRACE.literal()
                        + ", grace_until = $2 where id = $1",
                Tuple.of(old.getUUID("id"), now.plus(config.transportKeyGrace())));
        run(
                conn,
                "insert into transport_keys (id, org_id, kid, public_key, org_key_version, wrapped_private_key, state, created_at) "
                        + "values ($1, $2, $3, $4, $5, $6, " + TransportKeyState.ACTIVE.literal() + ", $7)",
                Tuple.from(List.of(
                        UUID.randomUUID(),
                        orgId,
                        pair.kid(),
                        buffer(pair.publicKey().getEncoded()),
                        version,
                        buffer(wrapped),
                        now)));
        KeyRotation rotation =
                new KeyRotation("transport", old.getString("kid"), pair.kid(), trigger, "done", 0, now, now);
        record(conn, orgId, rotation);
        audit(conn, orgId, AuditAction.TRANSPORT_KEY_ROTATE, caller, rotation);
        metrics.rotation(Rotation.TRANSPORT_KEY);
        LogId.TRANSPORT_KEY_ROTATED.log(
                LOG, orgId, pair.kid(), old.getString("kid"), now.plus(config.transportKeyGrace()));
        return Optional.of(rotation);
    }

    /**
     * Starts re-wrapping every org key still wrapped by another root key under the active one. The
     * previous keys stay configured until the status reports them no longer needed.
     */
    public KeyRotation startRootRotation(String trigger) {
        return inTransaction(pool, conn -> {
                    run(conn, "select pg_advisory_xact_lock($1)", Tuple.of(RewrapJob.JOB_LOCK + 1));
                    Row running = oneOrNull(
                            conn,
                            "select * from key_rotations where tier = 'root' and state = 'running'",
                            Tuple.tuple());
                    if (running != null && !rootKey.activeKid().equals(running.getString("to_key"))) {
                        // Started with another active root key, which the operator has since replaced: the rotation now
                        // goes to this configuration's key (the job re-wraps only on replicas whose active key it is).
                        running = one(
                                conn,
                                "update key_rotations set to_key = $2 where id = $1 returning *",
                                Tuple.of(running.getUUID("id"), rootKey.activeKid()));
                        LogId.ROOT_KEY_ROTATION_RETARGETED.log(LOG, rootKey.activeKid());
                    }
                    if (running != null) {
                        return Optional.of(rotation(running));
                    }
                    Row old = one(
                            conn,
                            "select count(*) as n, coalesce(string_agg(distinct root_kid, ','), '') as kids from org_keys "
                                    + "where state <> " + OrgKeyState.RETIRED.literal() + " and root_kid <> $1",
                            Tuple.of(rootKey.activeKid()));
                    OffsetDateTime now = now();
                    boolean nothing = old.getLong("n") == 0;
                    KeyRotation rotation = new KeyRotation(
                            "root",
                            nothing ? rootKey.activeKid() : old.getString("kids"),
                            rootKey.activeKid(),
                            trigger,
                            nothing ? "done" : "running",
                            0,
                            now,
                            nothing ? now : null);
                    record(conn, null, rotation);
                    LogId.ROOT_KEY_ROTATION_STARTED.log(LOG, rootKey.activeKid(), old.getLong("n"));
                    return Optional.of(rotation);
                })
                .orElseThrow();
    }

    /**
     * The rotation's audit record, in the rotation's own transaction (the head of the org's chain stays
     * locked until it commits): by the caller, or by the server for scheduled and usage-limit rotations.
     */
    private void audit(SqlConnection conn, UUID orgId, AuditAction action, Caller caller, KeyRotation r) {
        AuditEntry entry = caller == null
                ? audit.systemEntry(orgId, action, null, null, null)
                : audit.entry(caller, orgId, action, null, null, null);
        entry = entry.withDetail(audit.detail(java.util.Map.of(
                "tier", r.tier(), "from_key", r.fromKey(), "to_key", r.toKey(), "trigger", r.trigger())));
        try {
            AuditWriter.append(conn, orgId, List.of(entry)).await().atMost(Sql.AWAIT);
        } catch (RuntimeException e) {
            // the rotation's transaction rolls back with it: nothing rotated without its record
            metrics.auditWriteFailure();
            LogId.AUDIT_WRITE_FAILED.log(
                    LOG, e.getClass().getSimpleName(), "the " + r.tier() + " rotation of org " + orgId);
            throw new CrateException(
                    ErrorCode.AUDIT_UNAVAILABLE, "the audit trail cannot be written right now; nothing was rotated");
        }
    }

    private static void record(SqlConnection conn, UUID orgId, KeyRotation r) {
        run(
                conn,
                "insert into key_rotations (id, org_id, tier, from_key, to_key, trigger, state, rewrapped, started_at, finished_at) "
                        + "values ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9)",
                Tuple.from(Arrays.asList(
                        UUID.randomUUID(),
                        orgId,
                        r.tier(),
                        r.fromKey(),
                        r.toKey(),
                        r.trigger(),
                        r.state(),
                        r.startedAt(),
                        r.finishedAt())));
    }

    static KeyRotation rotation(Row row) {
        return new KeyRotation(
                row.getString("tier"),
                row.getString("from_key"),
                row.getString("to_key"),
                row.getString("trigger"),
                row.getString("state"),
                row.getLong("rewrapped"),
                row.getOffsetDateTime("started_at"),
                row.getOffsetDateTime("finished_at"));
    }
}
