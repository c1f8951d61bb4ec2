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
import dev.crate.server.support.Times;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Group commit of stores (ARCHITECTURE.md, section 4.1): per org and replica, one transaction at a time
 * writes every store that queued up meanwhile, so concurrent stores of an org share the two org-wide row
 * locks (the active org key, the audit chain head) and one commit instead of taking turns on them, each
 * holding them across its own round trips and its own WAL flush.
 *
 * <p>Each store in the batch gets exactly what it would get alone: its secret row locked (rows in (environment,
 * name) order, so batches of two replicas cannot deadlock), tag scope and {@code expected_version} checked
 * against that row (a store that fails them fails alone, before it writes anything), its version encrypted
 * under a fresh data key, one wrap counted on the active org key per version (one {@code update} for the
 * batch, with the row locked to the end: a rotation waits, as for a single store), its own audit record
 * and change event, in the order of the batch. Two stores of one secret in a batch are applied one after
 * the other. Nobody is answered before the commit. When the transaction fails, a batch of several is run
 * again one store at a time, so a failure belongs to the store that caused it.
 */
@ApplicationScoped
public class StoreBatch {
    private static final int MAX_BATCH = 64;

    private final Pool pool;
    private final KeyService keys;
    private final AuditService audit;
    private final SecretEvents events;
    private final Map<UUID, OrgQueue> queues = new ConcurrentHashMap<>();

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

    /** Runs a batch; completes every store of it, never fails. */
    private Uni<Void> run(UUID orgId, List<Pending> batch) {
        Map<Pending, Object> outcome = new HashMap<>();
        return pool.withTransaction(connection -> write(connection, orgId, batch, outcome))
                .map(ignored -> {
                    batch.forEach(p -> finish(p, outcome.get(p)));
                    return (Void) null;
                })
                .onFailure()
                .recoverWithUni(failure -> {
                    if (batch.size() == 1) {
                        finish(batch.get(0), failure);
                        return Uni.createFrom().voidItem();
                    }
                    // one at a time, so that the failure goes to the store that caused it
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Pending p : batch) {
                        chain = chain.chain(() -> run(orgId, List.of(p)));
                    }
                    return chain;
                });
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

    private Uni<Void> write(SqlConnection connection, UUID orgId, List<Pending> batch, Map<Pending, Object> outcome) {
        outcome.clear();
        TreeSet<List<String>> keysWanted = new TreeSet<>((a, b) -> {
            int c = a.get(0).compareTo(b.get(0));
            return c != 0 ? c : a.get(1).compareTo(b.get(1));
        });
        batch.forEach(p ->
                keysWanted.add(List.of(p.request().environment(), p.request().name())));
        Map<List<String>, Row0> rows = new HashMap<>();
        return lock(connection, orgId, keysWanted, rows)
                .chain(() -> {
                    // Secrets that do not exist yet: created only for stores that pass their checks on a new row.
                    TreeSet<List<String>> create = new TreeSet<>(keysWanted.comparator());
                    for (Pending p : batch) {
                        List<String> key =
                                List.of(p.request().environment(), p.request().name());
                        if (!rows.containsKey(key) && passes(p.request(), null) == null) {
                            create.add(key);
                        }
                    }
                    if (create.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    List<Tuple> inserts = create.stream()
                            .map(k -> Tuple.of(UUID.randomUUID(), orgId, k.get(0), k.get(1)))
                            .toList();
                    return connection
                            .preparedQuery(
                                    "insert into secrets (id, org_id, environment, name, current_version, tags, created_at, "
                                            + "updated_at, deleted_at) values ($1, $2, $3, $4, 0, '{}', now(), now(), now()) "
                                            + "on conflict (org_id, environment, name) do nothing")
                            .executeBatch(inserts)
                            // ours, or a concurrent creator's (committed): locked either way
                            .chain(() -> lock(connection, orgId, create, rows));
                })
                .chain(() -> {
                    // Apply the checks in the order of the batch, on the rows as the earlier stores leave them.
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
                    TreeSet<String> catalog = new TreeSet<>();
                    for (Pending p : batch) {
                        Request r = p.request();
                        Row0 row = state.get(List.of(r.environment(), r.name()));
                        CrateException refused = row == null ? passes(r, null) : passes(r, row);
                        if (row == null && refused == null) {
                            // cannot happen: a passing store's row was created and locked above
                            refused = new CrateException(ErrorCode.SECRET_NOT_FOUND, "the secret row is missing");
                        }
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
                    }
                    if (accepted.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return ensureTags(connection, orgId, catalog)
                            .chain(() -> keys.claimActiveOrgKey(connection, orgId, accepted.size()))
                            .chain(orgKey ->
                                    append(connection, orgId, orgKey, accepted, rows, versionOf, tagsOf, outcome));
                });
    }

    /** Locks the rows of {@code wanted} that exist, in (environment, name) order, into {@code rows}. */
    private static Uni<Void> lock(
            SqlConnection connection, UUID orgId, TreeSet<List<String>> wanted, Map<List<String>, Row0> rows) {
        String[] envs = wanted.stream().map(k -> k.get(0)).toArray(String[]::new);
        String[] names = wanted.stream().map(k -> k.get(1)).toArray(String[]::new);
        return connection
                .preparedQuery("select " + COLUMNS + " from secrets where org_id = $1 and (environment, name) in "
                        + "(select * from unnest(cast($2 as text[]), cast($3 as text[]))) "
                        + "order by environment collate \"C\", name collate \"C\" for no key update")
                .execute(Tuple.of(orgId, envs, names))
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

    /** Why {@code r} may not write the secret as {@code row} is now (null: a new secret); null when it may. */
    private static CrateException passes(Request r, Row0 row) {
        SecretRecord secret = new SecretRecord();
        secret.currentVersion = row == null ? 0 : row.currentVersion;
        secret.tags = row == null ? new String[0] : row.tags;
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
            Map<Pending, Object> outcome) {
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
        return connection
                .preparedQuery(
                        "insert into secret_versions (id, secret_id, version, org_key_version, wrapped_data_key, ciphertext, "
                                + "created_at, created_by, tags) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .executeBatch(versionRows)
                .chain(() -> connection
                        .preparedQuery(
                                "update secrets set current_version = $2, tags = $3, updated_at = $4, deleted_at = null, "
                                        + "purged_at = null where id = $1")
                        .executeBatch(new ArrayList<>(secretUpdates.values())))
                // the records, then the events while the org's chain head is locked: event ids follow commit order
                .chain(() -> audit.append(connection, orgId, entries))
                .chain(() -> events.record(connection, orgId, changes));
    }
}
