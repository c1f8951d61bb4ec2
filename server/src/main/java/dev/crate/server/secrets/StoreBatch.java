package dev.crate.server.secrets;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.wire.SecretMetadata;
import dev.crate.server.audit.AuditAction;
import dev.crate.server.audit.AuditEntry;
import dev.crate.server.audit.AuditService;
import dev.crate.server.crypto.SecretCipher;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.OrgKey;
import dev.crate.server.domain.Validation;
import dev.crate.server.events.SecretEventAction;
import dev.crate.server.events.SecretEvents;
import dev.crate.server.identity.Access;
import dev.crate.server.keys.KeyService;
import dev.crate.server.log.LogId;
import dev.crate.server.support.DatabaseUnavailable;
import dev.crate.server.support.Times;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Group commit of stores (ARCHITECTURE.md, section 4.1): per org and replica, one transaction at a time
 * writes every store that queued up meanwhile, so concurrent stores of an org share the two org-wide row
 * locks (the active org key, the audit chain head) and one commit instead of taking turns on them, each
 * holding them across its own round trips and its own WAL flush.
 *
 * <p>Each store in the batch gets exactly what it would get alone: its secret row locked, tag scope and
 * {@code expected_version} checked against that row (a store that fails them fails alone, before it writes
 * anything), its version encrypted under a fresh data key, one wrap counted on the active org key per version
 * (one {@code update} for the batch, with the row locked to the end: a rotation waits, as for a single
 * store), its own audit record and change event, in the order of the batch. Two stores of one secret in a
 * batch are applied one after the other. Nobody is answered before the commit.
 *
 * <p><b>Lock order.</b> The batch takes all its secret rows in one statement, in (environment, name) order,
 * existing and missing alike: an {@code insert ... on conflict do update ... where false} creates the missing
 * rows and locks the existing ones as it goes down the sorted list, so batches of two replicas (or a batch and
 * a concurrent creator) always wait for each other in the same order and cannot deadlock. A row created for
 * a store that is then refused is deleted again in the same transaction. Then the org-wide rows, as in every
 * other write path: the org key, then the audit head.
 *
 * <p><b>Failures, exactly once.</b> A batch that fails before its {@code COMMIT} is sent (a statement failed,
 * the connection was lost) wrote nothing; a batch of several then runs again one store at a time, so a
 * failure belongs to the store that caused it. A failure of the {@code COMMIT} itself (the connection lost
 * after it was sent, the backend terminated) leaves the outcome open: the batch may have committed. Running
 * its stores again could then write each version twice, so the batch first asks the database: its first
 * audit record is the batch's marker, written in the same transaction; {@link AuditService#recorded} waits
 * until that transaction is over (it held the org's audit head when it sent {@code COMMIT}) and looks for the
 * record. Committed: every store gets the answer the batch had for it. Not committed: as any failure before
 * the commit. Not answerable (the database is still away): every store of the batch answers 503
 * {@code service_unavailable} saying that it may have been stored, and nothing runs again.
 */
@ApplicationScoped
public class StoreBatch {
    private static final Logger LOG = Logger.getLogger(StoreBatch.class);
    private static final int MAX_BATCH = 64;

    private final Pool pool;
    private final KeyService keys;
    private final AuditService audit;
    private final SecretEvents events;
    private final Map<UUID, OrgQueue> queues = new ConcurrentHashMap<>();
    /** Batches whose transaction failed (tests look at it; no metric of its own: the log says it). */
    private final AtomicLong failedBatches = new AtomicLong();

    private volatile BeforeCommit beforeCommit = NO_HOOK;

    /** For tests: runs on a batch's connection after its last statement, just before its {@code COMMIT}. */
    @FunctionalInterface
    interface BeforeCommit {
        Uni<Void> run(SqlConnection connection, UUID orgId, int stores);
    }

    private static final BeforeCommit NO_HOOK =
            (connection, orgId, stores) -> Uni.createFrom().voidItem();

    StoreBatch(Pool pool, KeyService keys, AuditService audit, SecretEvents events) {
        this.pool = pool;
        this.keys = keys;
        this.audit = audit;
        this.events = events;
    }

    /** One store, checked and opened: everything but the row it writes. */
    record Request(
            Caller caller,
            Access access,
            String environment,
            String name,
            List<String> tags,
            Integer expectedVersion,
            byte[] plaintext,
            boolean bound) {
        @Override
        public String toString() {
            return "Request[name=" + name + ", environment=" + environment + "]";
        }
    }

    private record Pending(Request request, CompletableFuture<SecretMetadata> done) {}

    private static final class OrgQueue {
        final ArrayDeque<Pending> pending = new ArrayDeque<>();
        boolean flushing;
    }

    /** Completes (on the caller's Vert.x context) once the store is committed; fails when it is refused or could not be. */
    Uni<SecretMetadata> submit(UUID orgId, Request request) {
        Context context = Vertx.currentContext();
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<SecretMetadata> done = new CompletableFuture<>();
            // The batch keeps a copy of the value, zeroed when the store is finished (finish): the caller zeroes
            // its own when its Uni terminates, and that includes a cancellation (the client went away), after
            // which the queued store is still written, so it must not be left to encrypt a zeroed array.
            Request own = new Request(
                    request.caller(),
                    request.access(),
                    request.environment(),
                    request.name(),
                    request.tags(),
                    request.expectedVersion(),
                    request.plaintext().clone(),
                    request.bound());
            OrgQueue queue = queues.computeIfAbsent(orgId, id -> new OrgQueue());
            boolean start;
            synchronized (queue) {
                queue.pending.add(new Pending(own, done));
                start = !queue.flushing;
                queue.flushing = true;
            }
            if (start) {
                flush(orgId, queue);
            }
            Uni<SecretMetadata> uni = Uni.createFrom().completionStage(done);
            return context == null ? uni : uni.emitOn(task -> context.runOnContext(ignored -> task.run()));
        });
    }

    /** For tests: a hook run before every batch's {@code COMMIT} (null: none). */
    void beforeCommit(BeforeCommit hook) {
        beforeCommit = hook == null ? NO_HOOK : hook;
    }

    /** For tests: stores of the org waiting for the next batch. */
    int queued(UUID orgId) {
        OrgQueue queue = queues.get(orgId);
        if (queue == null) {
            return 0;
        }
        synchronized (queue) {
            return queue.pending.size();
        }
    }

    /** For tests: how many batch transactions failed so far. */
    long failedBatches() {
        return failedBatches.get();
    }

    private void flush(UUID orgId, OrgQueue queue) {
        List<Pending> batch = new ArrayList<>();
        synchronized (queue) {
            while (!queue.pending.isEmpty() && batch.size() < MAX_BATCH) {
                batch.add(queue.pending.poll());
            }
            if (batch.isEmpty()) {
                queue.flushing = false;
                return;
            }
        }
        run(orgId, batch).subscribe().with(ignored -> flush(orgId, queue), failure -> flush(orgId, queue));
    }

    /** One attempt at a batch: the answers it has for its stores, and how far it got. */
    private static final class Attempt {
        final Map<Pending, Object> outcome = new HashMap<>();
        /** The id of its first audit record, the marker of its commit; null while (or when) it writes none. */
        UUID marker;
        /** Every statement succeeded: the {@code COMMIT} is being sent. */
        volatile boolean committing;
    }

    /** Runs a batch; completes every store of it, never fails. */
    private Uni<Void> run(UUID orgId, List<Pending> batch) {
        Attempt attempt = new Attempt();
        BeforeCommit hook = beforeCommit;
        return pool.withTransaction(connection -> write(connection, orgId, batch, attempt)
                        .call(() -> hook.run(connection, orgId, batch.size()))
                        .invoke(() -> attempt.committing = true))
                .map(ignored -> {
                    finishAll(batch, attempt.outcome);
                    return (Void) null;
                })
                .onFailure()
                .recoverWithUni(failure -> {
                    failedBatches.incrementAndGet();
                    if (!attempt.committing) {
                        return runAlone(orgId, batch, failure);
                    }
                    if (attempt.marker == null) {
                        // every store was refused: nothing was written, the refusals stand either way
                        finishAll(batch, attempt.outcome);
                        return Uni.createFrom().voidItem();
                    }
                    return resolve(orgId, batch, attempt, failure);
                });
    }

    /** The {@code COMMIT} got no answer: whether it committed decides (see the class comment). */
    private Uni<Void> resolve(UUID orgId, List<Pending> batch, Attempt attempt, Throwable failure) {
        return audit.recorded(orgId, attempt.marker)
                // the pool may hand out a connection that died with the batch's before it notices: ask again, on
                // another one (a statement timeout is not asked again: that wait was already bounded)
                .onFailure(StoreBatch::connectionLost)
                .retry()
                .withBackOff(Duration.ofMillis(100))
                .atMost(3)
                .onItemOrFailure()
                .transformToUni((committed, unknown) -> {
                    if (unknown != null) {
                        LogId.STORE_BATCH_COMMIT_UNKNOWN.log(
                                LOG, batch.size(), orgId, reason(failure), reason(unknown));
                        CrateException answer = new CrateException(
                                ErrorCode.SERVICE_UNAVAILABLE,
                                "the database connection was lost while this store was committed, and whether it was "
                                        + "cannot be told now: it may have been stored; read the secret's current "
                                        + "version before storing it again");
                        batch.forEach(p -> finish(p, answer));
                        return Uni.createFrom().voidItem();
                    }
                    LogId.STORE_BATCH_COMMIT_RESOLVED.log(
                            LOG, batch.size(), orgId, reason(failure), committed ? "committed" : "did not commit");
                    if (committed) {
                        finishAll(batch, attempt.outcome);
                        return Uni.createFrom().voidItem();
                    }
                    return runAlone(orgId, batch, failure);
                });
    }

    /**
     * The batch did not commit: a single store gets its failure; a batch of several runs again one store at
     * a time, so that the failure goes to the store that caused it.
     */
    private Uni<Void> runAlone(UUID orgId, List<Pending> batch, Throwable failure) {
        if (batch.size() == 1) {
            finish(batch.get(0), failure);
            return Uni.createFrom().voidItem();
        }
        if (!DatabaseUnavailable.in(failure)) {
            // (a database that cannot serve is logged where the 503s are answered, at a bounded rate)
            LogId.STORE_BATCH_FAILED.log(LOG, batch.size(), orgId, reason(failure));
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Pending p : batch) {
            chain = chain.chain(() -> run(orgId, List.of(p)));
        }
        return chain;
    }

    private static boolean connectionLost(Throwable failure) {
        String reason = DatabaseUnavailable.reason(failure);
        return reason != null && !reason.equals("SQLSTATE 57014");
    }

    /** A short name of a failure for the log: the database's reason, a SQLSTATE or a type, never a message. */
    private static String reason(Throwable failure) {
        String unavailable = DatabaseUnavailable.reason(failure);
        if (unavailable != null) {
            return unavailable;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof PgException pg) {
                return "SQLSTATE " + pg.getSqlState();
            }
            if (cause instanceof CrateException crate) {
                return crate.code().code();
            }
        }
        return failure.getClass().getSimpleName();
    }

    private static void finishAll(List<Pending> batch, Map<Pending, Object> outcome) {
        batch.forEach(p -> finish(p, outcome.get(p)));
    }

    /** Answers a store once and for all, and zeroes the batch's copy of its value. */
    private static void finish(Pending p, Object result) {
        try {
            if (result instanceof SecretMetadata metadata) {
                p.done().complete(metadata);
            } else {
                p.done().completeExceptionally((Throwable) result);
            }
        } finally {
            Arrays.fill(p.request().plaintext(), (byte) 0);
        }
    }

    private static final String COLUMNS = "id, environment, name, current_version, tags";

    /** The rows of a secret as this batch leaves them. */
    private static final class Row0 {
        UUID id;
        int currentVersion;
        String[] tags;
    }

    /**
     * Takes the batch's secret rows in (environment, name) order, existing and missing alike, in one
     * statement: a missing row is created (id, version 0, no tags, deleted: what a store finds for a new
     * secret), an existing one locked (as the {@code update} of its non-key columns at the end will hold
     * it), each as the statement reaches it; {@code where false}: nothing is updated yet.
     */
    private static final String TAKE_ROWS =
            "insert into secrets (id, org_id, environment, name, current_version, tags, created_at, updated_at, "
                    + "deleted_at) select k.id, $1, k.environment, k.name, 0, '{}', now(), now(), now() "
                    + "from unnest(cast($2 as uuid[]), cast($3 as text[]), cast($4 as text[])) as k(id, environment, name) "
                    + "order by k.environment collate \"C\", k.name collate \"C\" "
                    + "on conflict (org_id, environment, name) do update set current_version = secrets.current_version "
                    + "where false";
    /** The rows just taken, as they are now: a new statement sees what committed while it waited. */
    private static final String READ_ROWS = "select " + COLUMNS + " from secrets where org_id = $1 and "
            + "(environment, name) in (select * from unnest(cast($2 as text[]), cast($3 as text[])))";

    private Uni<Void> write(SqlConnection connection, UUID orgId, List<Pending> batch, Attempt attempt) {
        Map<Pending, Object> outcome = attempt.outcome;
        TreeSet<List<String>> keysWanted = new TreeSet<>((a, b) -> {
            int c = a.get(0).compareTo(b.get(0));
            return c != 0 ? c : a.get(1).compareTo(b.get(1));
        });
        batch.forEach(p ->
                keysWanted.add(List.of(p.request().environment(), p.request().name())));
        Map<List<String>, UUID> proposed = new HashMap<>();
        keysWanted.forEach(k -> proposed.put(k, UUID.randomUUID()));
        Map<List<String>, Row0> rows = new HashMap<>();
        return take(connection, orgId, keysWanted, proposed, rows).chain(() -> {
            // Apply the checks in the order of the batch, on the rows as the earlier stores leave them. A row
            // this batch created (version 0, no tags) reads as no secret, as it must.
            List<Pending> accepted = new ArrayList<>();
            Map<Pending, Integer> versionOf = new HashMap<>();
            Map<Pending, String[]> tagsOf = new HashMap<>();
            Map<List<String>, Row0> state = new HashMap<>();
            rows.forEach((k, r) -> {
                Row0 copy = new Row0();
                copy.id = r.id;
                copy.currentVersion = r.currentVersion;
                copy.tags = r.tags;
                state.put(k, copy);
            });
            Set<List<String>> written = new HashSet<>();
            TreeSet<String> catalog = new TreeSet<>();
            for (Pending p : batch) {
                Request r = p.request();
                List<String> key = List.of(r.environment(), r.name());
                Row0 row = state.get(key);
                CrateException refused = row == null
                        // cannot happen: the statement above created or found every row
                        ? new CrateException(ErrorCode.SECRET_NOT_FOUND, "the secret row is missing")
                        : passes(r, row);
                if (refused != null) {
                    outcome.put(p, refused);
                    continue;
                }
                if (r.tags() != null) {
                    row.tags = r.tags().toArray(String[]::new);
                }
                // Kept tags go back into the catalog too: it may have dropped them while the secret was
                // deleted.
                catalog.addAll(r.tags() != null ? r.tags() : Validation.sorted(row.tags));
                row.currentVersion++;
                versionOf.put(p, row.currentVersion);
                tagsOf.put(p, row.tags == null ? new String[0] : row.tags.clone());
                accepted.add(p);
                written.add(key);
            }
            // rows created above for stores that were all refused: gone again, so a refused store writes nothing
            List<UUID> unused = new ArrayList<>();
            rows.forEach((k, r) -> {
                if (r.id.equals(proposed.get(k)) && !written.contains(k)) {
                    unused.add(r.id);
                }
            });
            Uni<Void> cleared = unused.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : connection
                            .preparedQuery("delete from secrets where id = any($1)")
                            .execute(Tuple.of(unused.toArray(UUID[]::new)))
                            .replaceWithVoid();
            if (accepted.isEmpty()) {
                return cleared;
            }
            return cleared.chain(() -> ensureTags(connection, orgId, catalog))
                    .chain(() -> keys.claimActiveOrgKey(connection, orgId, accepted.size()))
                    .chain(orgKey -> append(connection, orgId, orgKey, accepted, rows, versionOf, tagsOf, attempt));
        });
    }

    /** Takes the rows of {@code wanted} (see {@link #TAKE_ROWS}) and reads them into {@code rows}. */
    private static Uni<Void> take(
            SqlConnection connection,
            UUID orgId,
            TreeSet<List<String>> wanted,
            Map<List<String>, UUID> proposed,
            Map<List<String>, Row0> rows) {
        UUID[] ids = wanted.stream().map(proposed::get).toArray(UUID[]::new);
        String[] envs = wanted.stream().map(k -> k.get(0)).toArray(String[]::new);
        String[] names = wanted.stream().map(k -> k.get(1)).toArray(String[]::new);
        return connection
                .preparedQuery(TAKE_ROWS)
                .execute(Tuple.of(orgId, ids, envs, names))
                .chain(() -> connection.preparedQuery(READ_ROWS).execute(Tuple.of(orgId, envs, names)))
                .invoke(found -> {
                    for (Row row : found) {
                        Row0 r = new Row0();
                        r.id = row.getUUID("id");
                        r.currentVersion = row.getInteger("current_version");
                        r.tags = row.getArrayOfStrings("tags");
                        rows.put(List.of(row.getString("environment"), row.getString("name")), r);
                    }
                })
                .replaceWithVoid();
    }

    /** Why {@code r} may not write the secret as {@code row} is now (version 0: a new secret); null when it may. */
    private static CrateException passes(Request r, Row0 row) {
        SecretRecord secret = new SecretRecord();
        secret.currentVersion = row.currentVersion;
        secret.tags = row.tags == null ? new String[0] : row.tags;
        try {
            SecretVersions.requireTagScope(r.access(), secret, r.tags());
            SecretService.requireExpectedVersion(secret, r.expectedVersion());
            return null;
        } catch (CrateException e) {
            return e;
        }
    }

    private static Uni<Void> ensureTags(SqlConnection connection, UUID orgId, TreeSet<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection
                .preparedQuery("insert into tags (id, org_id, name, created_at) "
                        + "select gen_random_uuid(), $1, n, now() from unnest(cast($2 as text[])) as n "
                        + "on conflict (org_id, name) do nothing")
                .execute(Tuple.of(orgId, names.toArray(String[]::new)))
                .replaceWithVoid();
    }

    /** Encrypts and inserts the accepted versions, moves their secrets, then the audit records and events. */
    private Uni<Void> append(
            SqlConnection connection,
            UUID orgId,
            OrgKey orgKey,
            List<Pending> accepted,
            Map<List<String>, Row0> rows,
            Map<Pending, Integer> versionOf,
            Map<Pending, String[]> tagsOf,
            Attempt attempt) {
        Map<Pending, Object> outcome = attempt.outcome;
        OffsetDateTime now = Times.now();
        List<Tuple> versionRows = new ArrayList<>();
        Map<UUID, Tuple> secretUpdates = new LinkedHashMap<>();
        List<AuditEntry> entries = new ArrayList<>();
        List<SecretEvents.Change> changes = new ArrayList<>();
        for (Pending p : accepted) {
            Request r = p.request();
            UUID secretId = rows.get(List.of(r.environment(), r.name())).id;
            int version = versionOf.get(p);
            String[] tags = tagsOf.get(p);
            SecretCipher.Encrypted encrypted =
                    SecretCipher.encrypt(orgKey, secretId, r.environment(), r.name(), version, r.plaintext());
            versionRows.add(Tuple.of(
                            UUID.randomUUID(),
                            secretId,
                            version,
                            encrypted.orgKeyVersion(),
                            Buffer.buffer(encrypted.wrappedDataKey()),
                            Buffer.buffer(encrypted.ciphertext()))
                    .addOffsetDateTime(now)
                    .addString(r.caller().actor())
                    .addArrayOfString(tags));
            // the last store of a secret in the batch leaves the row as it stays
            secretUpdates.remove(secretId);
            secretUpdates.put(
                    secretId, Tuple.of(secretId, version).addArrayOfString(tags).addOffsetDateTime(now));
            AuditEntry entry =
                    audit.entry(r.caller(), orgId, AuditAction.SECRET_WRITE, r.environment(), r.name(), version);
            // an unbound sealed value is recorded as such (docs/SECURITY.md)
            entries.add(r.bound() ? entry : entry.withDetail(audit.detail(java.util.Map.of("sealed", "unbound"))));
            changes.add(new SecretEvents.Change(r.environment(), r.name(), version, SecretEventAction.STORED, tags));
            SecretRecord answer = new SecretRecord();
            answer.name = r.name();
            answer.environment = r.environment();
            answer.currentVersion = version;
            answer.tags = tags;
            answer.updatedAt = now;
            outcome.put(p, SecretVersions.metadata(answer));
        }
        // the versions and their secrets' rows sent at once (pipelined on the connection): the org key row,
        // locked since the claim, is held one round trip less
        return Uni.combine()
                .all()
                .unis(
                        connection
                                .preparedQuery("insert into secret_versions (id, secret_id, version, org_key_version, "
                                        + "wrapped_data_key, ciphertext, created_at, created_by, tags) "
                                        + "values ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                                .executeBatch(versionRows),
                        connection
                                .preparedQuery("update secrets set current_version = $2, tags = $3, updated_at = $4, "
                                        + "deleted_at = null, purged_at = null where id = $1")
                                .executeBatch(new ArrayList<>(secretUpdates.values())))
                .discardItems()
                // the records, then the events while the org's chain head is locked: event ids follow commit order
                .chain(() -> audit.append(connection, orgId, entries))
                // the batch's marker: its first record commits or fails with it
                .invoke(ids -> attempt.marker = ids.get(0))
                .chain(() -> events.record(connection, orgId, changes));
    }
}
