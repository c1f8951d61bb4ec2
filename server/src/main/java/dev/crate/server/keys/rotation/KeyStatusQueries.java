package dev.crate.server.keys.rotation;

import static dev.crate.server.keys.rotation.Sql.all;
import static dev.crate.server.keys.rotation.Sql.one;
import static dev.crate.server.keys.rotation.Sql.oneOrNull;

import dev.crate.protocol.wire.KeyRotation;
import dev.crate.protocol.wire.KeyStatus;
import dev.crate.protocol.wire.OrgKeyVersion;
import dev.crate.protocol.wire.RewrapProgress;
import dev.crate.protocol.wire.RootKeyInfo;
import dev.crate.protocol.wire.RootKeyStatus;
import dev.crate.protocol.wire.RotationSchedule;
import dev.crate.protocol.wire.TransportKeyInfo;
import dev.crate.server.config.CrateConfig;
import dev.crate.server.crypto.rootkey.RootKeyProvider;
import dev.crate.server.keys.OrgKeyState;
import dev.crate.server.keys.TransportKeyState;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the key status endpoints show: read from the database, never key material. Blocking. */
@ApplicationScoped
public class KeyStatusQueries {
    private final Pool pool;
    private final RootKeyProvider rootKey;
    private final CrateConfig.Rotation config;

    KeyStatusQueries(Pool pool, RootKeyProvider rootKey, CrateConfig config) {
        this.pool = pool;
        this.rootKey = rootKey;
        this.config = config.rotation();
    }

    /** An org's key versions, transport keys, schedules, re-wrap progress and recent rotations. */
    public KeyStatus orgStatus(UUID orgId) {
        return Sql.withConnection(pool, conn -> {
            List<OrgKeyVersion> versions = new ArrayList<>();
            Integer active = null;
            OffsetDateTime orgSince = null;
            boolean retiring = false;
            for (Row r : all(
                    conn,
                    "select version, state, root_kid, wrap_count, created_at, retired_at from org_keys "
                            + "where org_id = $1 order by version desc",
                    Tuple.of(orgId))) {
                versions.add(new OrgKeyVersion(
                        r.getInteger("version"),
                        r.getString("state"),
                        r.getString("root_kid"),
                        r.getLong("wrap_count"),
                        r.getOffsetDateTime("created_at"),
                        r.getOffsetDateTime("retired_at")));
                if (OrgKeyState.ACTIVE.sql().equals(r.getString("state"))) {
                    active = r.getInteger("version");
                    orgSince = r.getOffsetDateTime("created_at");
                }
                retiring |= OrgKeyState.RETIRING.sql().equals(r.getString("state"));
            }
            List<TransportKeyInfo> transports = new ArrayList<>();
            OffsetDateTime transportSince = null;
            for (Row r : all(
                    conn,
                    "select kid, state, created_at, grace_until from transport_keys where org_id = $1 "
                            + "order by created_at desc",
                    Tuple.of(orgId))) {
                transports.add(new TransportKeyInfo(
                        r.getString("kid"),
                        r.getString("state"),
                        r.getOffsetDateTime("created_at"),
                        r.getOffsetDateTime("grace_until")));
                if (TransportKeyState.ACTIVE.sql().equals(r.getString("state"))) {
                    transportSince = r.getOffsetDateTime("created_at");
                }
            }
            long remaining = one(
                            conn,
                            "select (select count(*) from secret_versions v join secrets s on s.id = v.secret_id "
                                    + "where s.org_id = $1 and v.org_key_version <> $2) + (select count(*) from transport_keys "
                                    + "where org_id = $1 and org_key_version <> $2 and state <> "
                                    + TransportKeyState.DISABLED.literal() + ") as n",
                            Tuple.of(orgId, active == null ? -1 : active))
                    .getLong("n");
            long rewrapped = one(
                            conn,
                            "select coalesce(sum(rewrapped), 0)::bigint as n from key_rotations "
                                    + "where org_id = $1 and tier = 'org' and state = 'running'",
                            Tuple.of(orgId))
                    .getLong("n");
            List<KeyRotation> recent = new ArrayList<>();
            all(
                            conn,
                            "select * from key_rotations where org_id = $1 order by started_at desc limit 10",
                            Tuple.of(orgId))
                    .forEach(r -> recent.add(RotationEngine.rotation(r)));
            return new KeyStatus(
                    versions,
                    transports,
                    schedule(orgSince, config.orgKeyPeriod()),
                    schedule(transportSince, config.transportKeyPeriod()),
                    new RewrapProgress(retiring, rewrapped, remaining),
                    recent);
        });
    }

    private static RotationSchedule schedule(OffsetDateTime since, Duration period) {
        return new RotationSchedule(
                since,
                since == null || period.isZero() ? null : since.plus(period),
                period.isZero() ? null : period.toString());
    }

    /** The root keys in use, which configured previous keys are no longer needed, and the root re-wrap progress. */
    public RootKeyStatus rootStatus() {
        return Sql.withConnection(pool, conn -> {
            Map<String, Long> counts = new java.util.TreeMap<>();
            all(
                            conn,
                            "select root_kid, count(*) as n from org_keys where state <> "
                                    + OrgKeyState.RETIRED.literal() + " group by root_kid",
                            Tuple.tuple())
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
            long remaining = counts.entrySet().stream()
                    .filter(e -> !e.getKey().equals(rootKey.activeKid()))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
            Row running = oneOrNull(
                    conn,
                    "select rewrapped from key_rotations where tier = 'root' and state = 'running' limit 1",
                    Tuple.tuple());
            List<KeyRotation> recent = new ArrayList<>();
            all(
                            conn,
                            "select * from key_rotations where tier = 'root' order by started_at desc limit 10",
                            Tuple.tuple())
                    .forEach(r -> recent.add(RotationEngine.rotation(r)));
            return new RootKeyStatus(
                    rootKey.activeKid(),
                    rootKey.source(),
                    keys,
                    unneeded,
                    new RewrapProgress(running != null, running == null ? 0 : running.getLong("rewrapped"), remaining),
                    recent);
        });
    }
}
