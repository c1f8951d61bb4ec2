package dev.crate.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crate.protocol.ErrorCode;
import dev.crate.server.config.CrateConfig;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.log.LogId;
import dev.crate.server.metrics.CrateMetrics;
import dev.crate.server.support.Times;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Writes the audit trail. Every service calls it: REST and gRPC get the same records. A change and its
 * record commit together ({@link #append}, inside the change's transaction); a read's record commits
 * in a transaction of its own before any value leaves ({@link #commit}); an attempt the access checks
 * deny is recorded by {@link #guard}. When a record cannot be written, the operation fails with 503
 * {@code audit_unavailable}: nothing is read or changed unaudited.
 */
@ApplicationScoped
public class AuditService {
    private static final Logger LOG = Logger.getLogger(AuditService.class);
    private final AuditRepository records;
    private final AuditWriter writer;
    private final AuditGroupCommit groupCommit;
    private final ObjectMapper json;
    private final CrateMetrics metrics;
    private final boolean auditReads;
    private final DenialLimiter denials;
    /** Denials of unknown orgs recorded after the answer went out; beyond this many at once, before it. */
    private final Semaphore backgroundDenials = new Semaphore(64);

    AuditService(
            AuditRepository records, AuditWriter writer, ObjectMapper json, CrateMetrics metrics, CrateConfig config) {
        this.denials =
                new DenialLimiter(config.audit().denialWindow(), config.audit().denialKinds(), System::nanoTime);
        this.records = records;
        this.writer = writer;
        this.groupCommit = new AuditGroupCommit(writer);
        this.json = json;
        this.metrics = metrics;
        this.auditReads = config.audit().reads();
        if (!auditReads) {
            LogId.AUDIT_READS_OFF.log(LOG);
        }
    }

    /** A successful {@code action} by {@code caller} in org {@code orgId} on a target (each part may be null). */
    public AuditEntry entry(
            Caller caller, UUID orgId, AuditAction action, String environment, String name, Integer version) {
        return entry(caller, orgId, action, environment, name, version, AuditEntry.SUCCESS, null);
    }

    private static AuditEntry entry(
            Caller caller,
            UUID orgId,
            AuditAction action,
            String environment,
            String name,
            Integer version,
            String outcome,
            String reason) {
        Caller.Origin origin = caller.origin();
        boolean foreignKey =
                caller.apiKeyOrg().isPresent() && !caller.apiKeyOrg().get().equals(orgId);
        String actorType = switch (caller.kind()) {
            case USER -> "user";
            case API_KEY -> "api_key";
            case WORKLOAD -> "workload";
        };
        String actorId = caller.kind() == Caller.Kind.USER
                ? caller.subject()
                : caller.apiKey().get().keyId().toString();
        // another org's key is named by id only: its name belongs to that org
        String actorName = caller.kind() == Caller.Kind.USER ? caller.email() : foreignKey ? null : caller.name();
        if (caller.kind() == Caller.Kind.WORKLOAD && !foreignKey) {
            // the binding (id above, name here) and the platform subject it vouched for
            actorName = caller.name() + " (" + caller.workloadSubject().orElse("") + ")";
        }
        return new AuditEntry(
                orgId,
                Times.now(),
                actorType,
                actorId,
                actorName,
                action.wire(),
                environment,
                name,
                version,
                null,
                outcome,
                reason,
                origin.ip(),
                origin.userAgent(),
                origin.requestId());
    }

    /** A record by the server itself (scheduled jobs). */
    public AuditEntry systemEntry(UUID orgId, AuditAction action, String environment, String name, Integer version) {
        return new AuditEntry(
                orgId,
                Times.now(),
                "system",
                null,
                "crate",
                action.wire(),
                environment,
                name,
                version,
                null,
                AuditEntry.SUCCESS,
                null,
                null,
                null,
                null);
    }

    /** A small JSON object for an entry's {@code detail}: ids, roles, counts; never a value or a token. */
    public String detail(Map<String, ?> fields) {
        try {
            return json.writeValueAsString(new TreeMap<>(fields));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit detail is not serializable", e);
        }
    }

    /**
     * Inside the caller's current transaction: appends {@code entry} to its org's chain (locking the chain
     * head until the transaction ends, so call it last). The change and the record commit or fail together.
     */
    public Uni<Void> append(AuditEntry entry) {
        // the change's own statements first, so that their failures stay theirs
        return records.flush()
                .chain(() -> records.getSession()
                        .chain(session -> writer.append(session, entry))
                        .replaceWithVoid()
                        .onFailure()
                        .transform(this::unavailable));
    }

    /**
     * Inside a transaction the caller holds on {@code connection} (the batched store path): appends
     * {@code entries}, in order, to their org's chain with one head lock; they commit or fail with it.
     * Gives the ids of the records, in order (for {@link #recorded}).
     */
    public Uni<List<UUID>> append(SqlConnection connection, UUID orgId, List<AuditEntry> entries) {
        return AuditWriter.append(connection, orgId, entries)
                .map(chained -> chained.stream().map(ChainedEvent::id).toList())
                .onFailure()
                .transform(this::unavailable);
    }

    /**
     * Whether the record {@code recordId} appended by {@link #append(SqlConnection, UUID, List)} committed,
     * once its transaction is over (it waits for that); for a {@code COMMIT} that got no answer.
     */
    public Uni<Boolean> recorded(UUID orgId, UUID recordId) {
        return writer.recorded(orgId, recordId);
    }

    /** In a transaction of its own (shared with concurrent records of the org): done once committed. */
    public Uni<Void> commit(AuditEntry entry) {
        return groupCommit.submit(entry).onFailure().transform(this::unavailable);
    }

    /** A read of values: committed before the caller may go on to decrypt anything. */
    public Uni<Void> commitRead(AuditEntry entry) {
        return auditReads ? commit(entry) : Uni.createFrom().voidItem();
    }

    /**
     * Runs {@code work}; when the access checks deny it (403 {@code forbidden}, or 404
     * {@code organization_not_found} for an org that exists), records the denied attempt in that org's
     * chain, through {@link DenialLimiter} (the first of each kind per window; repeats as one aggregate).
     * A 403 is recorded before the denial goes back. A 404 {@code organization_not_found} goes back at
     * once and is recorded after it: whether the org exists must not change what the answer waits for
     * (docs/SECURITY.md, section 4.6). A caller without any credential never
     * gets this far (401 is counted in the metrics and not recorded: it names no actor).
     */
    public <T> Uni<T> guard(
            Caller caller,
            String orgId,
            AuditAction action,
            String environment,
            String name,
            Supplier<Uni<? extends T>> work) {
        return Uni.createFrom()
                .<T>deferred(work)
                .onFailure(AuditService::isDenial)
                .call(failure -> {
                    UUID org = parse(orgId);
                    if (org == null) {
                        return Uni.createFrom().voidItem();
                    }
                    CrateException denial = (CrateException) failure;
                    AuditEntry entry = entry(
                            caller,
                            org,
                            action,
                            environment,
                            name,
                            null,
                            AuditEntry.DENIED,
                            denial.code().code());
                    Uni<Void> record = writer.orgExists(org)
                            .chain(exists -> exists
                                    ? commitAll(denials.admit(entry))
                                    : Uni.createFrom().voidItem())
                            .onFailure()
                            .recoverWithItem(e -> {
                                // the denial stands either way; it only goes unrecorded
                                LogId.DENIAL_NOT_AUDITED.log(
                                        LOG, action.wire(), caller.origin().requestId());
                                return null;
                            });
                    if (denial.code() == ErrorCode.ORGANIZATION_NOT_FOUND && backgroundDenials.tryAcquire()) {
                        record.eventually(() -> {
                                    backgroundDenials.release();
                                })
                                .subscribe()
                                .with(ignored -> {}, ignored -> {});
                        return Uni.createFrom().voidItem();
                    }
                    return record;
                });
    }

    private Uni<Void> commitAll(List<AuditEntry> entries) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (AuditEntry e : entries) {
            chain = chain.chain(() -> commit(e));
        }
        return chain;
    }

    /** Writes the aggregates of denial windows that have closed (DenialLimiter). */
    @Scheduled(identity = "crate-audit-denials", every = "${crate.audit.denial-flush-interval:30s}")
    Uni<Void> closeDenialWindows() {
        return writeAggregates(denials.closeExpired());
    }

    /**
     * Writes the aggregates of every open denial window now (shutdown; tests). What a replica counted is
     * not lost when it stops cleanly.
     */
    public Uni<Void> flushDenials() {
        return writeAggregates(denials.closeAll());
    }

    @PreDestroy
    void stop() {
        try {
            flushDenials().await().atMost(java.time.Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LogId.DENIAL_NOT_AUDITED.log(LOG, "attempt (aggregate at shutdown)", "-");
        }
    }

    private Uni<Void> writeAggregates(List<AuditEntry> aggregates) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (AuditEntry e : aggregates) {
            chain = chain.chain(() -> commit(e).onFailure().recoverWithItem(failure -> {
                LogId.DENIAL_NOT_AUDITED.log(LOG, e.action() + " (aggregate)", e.requestId());
                return null;
            }));
        }
        return chain;
    }

    private static boolean isDenial(Throwable failure) {
        return failure instanceof CrateException e
                && (e.code() == ErrorCode.FORBIDDEN || e.code() == ErrorCode.ORGANIZATION_NOT_FOUND);
    }

    private Throwable unavailable(Throwable failure) {
        if (failure instanceof CrateException) {
            return failure;
        }
        metrics.auditWriteFailure();
        if (dev.crate.server.support.DatabaseUnavailable.in(failure)) {
            // the whole database is out, not the audit trail alone: the API says so (503 service_unavailable)
            return failure;
        }
        LogId.AUDIT_WRITE_FAILED.log(LOG, failure.getClass().getSimpleName(), "the operation");
        LogId.AUDIT_WRITE_FAILED.debugCause(LOG, failure);
        return new CrateException(
                ErrorCode.AUDIT_UNAVAILABLE,
                "the audit trail cannot be written right now; nothing was read or changed");
    }

    private static UUID parse(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
