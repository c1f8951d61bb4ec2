package dev.crate.server.secrets;

import static dev.crate.server.testing.Api.as;
import static dev.crate.server.testing.PrivatePostgresResource.ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crate.server.testing.Api;
import dev.crate.server.testing.Api.Org;
import dev.crate.server.testing.PrivatePostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A batch of stores whose {@code COMMIT} gets no answer because its backend is terminated while it commits
 * ({@link StoreBatch}, "Failures, exactly once"): on the test's own PostgreSQL, since both cases need
 * server settings. Either way every store is answered once and written once: the batch that did commit is
 * not run again, the one that did not is run again one store at a time.
 */
@QuarkusTest
@TestProfile(PrivatePostgresResource.Profile.class)
class StoreCommitOutcomeTest {
    private static final String ENV = "dev";
    private static final long HOLD_KEY = 7_331_013L;

    @Inject
    StoreBatch batch;

    @AfterEach
    void heal() throws Exception {
        batch.beforeCommit(null);
        PrivatePostgresResource.sql(
                "alter system reset synchronous_standby_names",
                "alter system reset synchronous_commit",
                "select pg_reload_conf()");
        try (Connection c = appDatabase();
                var s = c.createStatement()) {
            s.execute("drop trigger if exists crate_test_hold_commit on audit_events");
            s.execute("drop function if exists crate_test_hold_commit()");
        }
    }

    /**
     * Committed, answer lost: the COMMIT waits for a synchronous standby that never comes (only in the
     * hooked transaction: everything else commits locally), and the backend is terminated there. PostgreSQL
     * has then committed the transaction locally but the client never hears so.
     */
    @Test
    void aBatchThatCommittedWithoutAnswerIsNotWrittenAgain() throws Exception {
        PrivatePostgresResource.sql(
                "alter system set synchronous_commit = 'local'",
                "alter system set synchronous_standby_names = 'crate_test_no_standby'",
                "select pg_reload_conf()");
        awaitCount(
                UUID.randomUUID(),
                "select count(*) from pg_settings where name = 'synchronous_standby_names' "
                        + "and setting = 'crate_test_no_standby' and ? is not null",
                1);
        Org org = Api.newOrg();
        UUID orgId = UUID.fromString(org.id());
        long wrapsBefore = wraps(orgId);
        AtomicBoolean armed = new AtomicBoolean(true);
        batch.beforeCommit((connection, id, stores) -> id.equals(orgId) && stores == 2 && armed.getAndSet(false)
                ? connection
                        .query("set local synchronous_commit = on")
                        .execute()
                        .replaceWithVoid()
                : Uni.createFrom().voidItem());

        Map<String, Response> answers = storeGateThenTwo(org, orgId, () -> {
            awaitCount(
                    orgId, "select count(*) from pg_stat_activity where wait_event = 'SyncRep' and ? is not null", 1);
            PrivatePostgresResource.sql(
                    "select pg_terminate_backend(pid) from pg_stat_activity where wait_event = 'SyncRep'");
        });

        assertStoredOnce(org, orgId, wrapsBefore, answers);
    }

    /**
     * Not committed: a deferred trigger (fired by the COMMIT itself) waits for an advisory lock the test
     * holds, in the hooked transaction only, and the backend is terminated there: PostgreSQL rolls it back.
     */
    @Test
    void aBatchWhoseCommitFailedIsWrittenOnceStoreByStore() throws Exception {
        try (Connection c = appDatabase();
                var s = c.createStatement()) {
            s.execute("create function crate_test_hold_commit() returns trigger language plpgsql as $$ begin "
                    + "if current_setting('crate_test.hold_commit', true) = 'on' then "
                    + "perform pg_advisory_xact_lock(" + HOLD_KEY + "); end if; return null; end $$");
            s.execute("create constraint trigger crate_test_hold_commit after insert on audit_events "
                    + "deferrable initially deferred for each row execute function crate_test_hold_commit()");
        }
        Org org = Api.newOrg();
        UUID orgId = UUID.fromString(org.id());
        long wrapsBefore = wraps(orgId);
        AtomicBoolean armed = new AtomicBoolean(true);
        batch.beforeCommit((connection, id, stores) -> id.equals(orgId) && stores == 2 && armed.getAndSet(false)
                ? connection
                        .query("set local crate_test.hold_commit = 'on'")
                        .execute()
                        .replaceWithVoid()
                : Uni.createFrom().voidItem());

        Map<String, Response> answers;
        try (Connection holder = appDatabase()) {
            count(
                    holder,
                    "select count(*) from (select pg_advisory_lock(" + HOLD_KEY + ")) held where ? is not null",
                    orgId);
            answers = storeGateThenTwo(org, orgId, () -> {
                awaitCount(
                        orgId,
                        "select count(*) from pg_stat_activity where wait_event = 'advisory' and query = 'COMMIT' "
                                + "and usename = '" + ROLE + "' and ? is not null",
                        1);
                PrivatePostgresResource.sql("select pg_terminate_backend(pid) from pg_stat_activity "
                        + "where wait_event = 'advisory' and query = 'COMMIT' and usename = '" + ROLE + "'");
            });
        }

        assertStoredOnce(org, orgId, wrapsBefore, answers);
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * Stores GATE alone (its batch waits for the org key row, which the test holds), then A and B, which
     * queue meanwhile and so make the next batch, of two; then lets go and runs {@code whileCommitting}.
     */
    private Map<String, Response> storeGateThenTwo(Org org, UUID orgId, Step whileCommitting) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try {
            Map<String, Future<Response>> sent = new TreeMap<>();
            try (Connection lock = appDatabase()) {
                lock.setAutoCommit(false);
                count(lock, "select count(*) from (select 1 from org_keys where org_id = ? for update) locked", orgId);
                sent.put("GATE", clients.submit(() -> Api.store(org, ENV, "GATE", "gate-value", null)));
                awaitCount(
                        orgId,
                        "select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                                + "and query like 'update org_keys%' and ? is not null",
                        1);
                for (String name : List.of("A", "B")) {
                    sent.put(name, clients.submit(() -> Api.store(org, ENV, name, "value-" + name, null)));
                }
                for (int i = 0; i < 600 && batch.queued(orgId) < 2; i++) {
                    Thread.sleep(50);
                }
                assertEquals(2, batch.queued(orgId), "A and B wait for the next batch");
                lock.commit();
            }
            whileCommitting.run();
            Map<String, Response> answers = new TreeMap<>();
            for (var e : sent.entrySet()) {
                answers.put(e.getKey(), e.getValue().get(120, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            clients.shutdownNow();
        }
    }

    /** GATE, A and B each answered 200 with version 1, and written exactly once. */
    private void assertStoredOnce(Org org, UUID orgId, long wrapsBefore, Map<String, Response> answers)
            throws Exception {
        for (var e : answers.entrySet()) {
            assertEquals(
                    200,
                    e.getValue().statusCode(),
                    e.getKey() + ": " + e.getValue().asString());
            assertEquals(1, (int) e.getValue().path("version"), e.getKey());
        }
        try (Connection c = appDatabase()) {
            Map<String, List<Integer>> versions = new TreeMap<>();
            try (var s = c.prepareStatement("select s.name, v.version from secrets s join secret_versions v "
                    + "on v.secret_id = s.id where s.org_id = ? order by s.name, v.version")) {
                s.setObject(1, orgId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        versions.computeIfAbsent(rs.getString(1), n -> new ArrayList<>())
                                .add(rs.getInt(2));
                    }
                }
            }
            assertEquals(Map.of("A", List.of(1), "B", List.of(1), "GATE", List.of(1)), versions);
            assertEquals(
                    3,
                    count(
                            c,
                            "select count(*) from audit_events where org_id = ? and action = 'secret.write' "
                                    + "and outcome = 'success'",
                            orgId),
                    "one secret.write record per store");
            assertEquals(3, count(c, "select count(*) from secret_events where org_id = ?", orgId), "change events");
            assertEquals(
                    wrapsBefore + 3,
                    count(c, "select coalesce(sum(wrap_count), 0) from org_keys where org_id = ?", orgId),
                    "one wrap per version");
        }
        for (String name : List.of("A", "B", "GATE")) {
            String expected = name.equals("GATE") ? "gate-value" : "value-" + name;
            assertEquals(expected, Api.value(Api.retrieve(org, ENV, List.of(name), null), name));
        }
        Response verify = as(org.adminKey()).get("/organization/" + org.id() + "/audit/verify");
        verify.then().statusCode(200);
        assertEquals(Boolean.TRUE, verify.path("intact"), verify.asString());
    }

    private static long wraps(UUID orgId) throws Exception {
        try (Connection c = appDatabase()) {
            return count(c, "select coalesce(sum(wrap_count), 0) from org_keys where org_id = ?", orgId);
        }
    }

    /** A superuser connection to the tested server's database (DDL on its tables, locks on its rows). */
    private static Connection appDatabase() throws Exception {
        String url = PrivatePostgresResource.database().jdbcUrl();
        return DriverManager.getConnection(
                url.substring(0, url.lastIndexOf('/') + 1) + ROLE,
                PrivatePostgresResource.database().user(),
                PrivatePostgresResource.database().password());
    }

    /** Waits (at most a minute) until {@code sql} counts {@code expected}. */
    private static void awaitCount(UUID orgId, String sql, long expected) throws Exception {
        try (Connection c = appDatabase()) {
            for (int i = 0; i < 1200; i++) {
                if (count(c, sql, orgId) == expected) {
                    return;
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("never counted " + expected + ": " + sql);
    }

    private static long count(Connection c, String sql, UUID orgId) throws Exception {
        try (var s = c.prepareStatement(sql)) {
            s.setObject(1, orgId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
