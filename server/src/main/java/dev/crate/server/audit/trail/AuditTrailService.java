package dev.crate.server.audit.trail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.wire.AuditChainBreak;
import dev.crate.protocol.wire.AuditEvent;
import dev.crate.protocol.wire.AuditEventList;
import dev.crate.protocol.wire.AuditVerification;
import dev.crate.server.audit.AuditAction;
import dev.crate.server.audit.AuditChain;
import dev.crate.server.audit.AuditService;
import dev.crate.server.audit.ChainedEvent;
import dev.crate.server.audit.trail.AuditReader.Filter;
import dev.crate.server.crypto.AuditMac;
import dev.crate.server.domain.Caller;
import dev.crate.server.domain.CrateException;
import dev.crate.server.domain.Validation;
import dev.crate.server.identity.Access;
import dev.crate.server.identity.AccessPolicy;
import dev.crate.server.keys.KeyService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Reading the audit trail: paged listing, streamed export (JSON lines or CSV), and chain verification. Admins only. */
@ApplicationScoped
public class AuditTrailService {
    private static final int MAX_PAGE = 1000;
    private static final int EXPORT_PAGE = 500;
    private final AccessPolicy access;
    private final AuditReader reader;
    private final AuditService audit;
    private final KeyService keys;
    private final ObjectMapper json;

    AuditTrailService(AccessPolicy access, AuditReader reader, AuditService audit, KeyService keys, ObjectMapper json) {
        this.access = access;
        this.reader = reader;
        this.audit = audit;
        this.keys = keys;
        this.json = json;
    }

    /** The raw query parameters of a listing or export. */
    public record Query(String from, String to, String actor, String action, String env) {}

    /** An export: its media type and its lines, produced page by page as they are sent. */
    public record Export(String mediaType, String fileName, Multi<String> lines) {}

    public Uni<AuditEventList> list(Caller caller, String orgId, Query query, String cursor, Integer limit) {
        Filter filter = filter(query);
        Long before = cursor(cursor);
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw invalid("limit is 1 to " + MAX_PAGE);
        }
        return resolve(caller, orgId, AuditAction.AUDIT_READ)
                .chain(a -> reader.page(a.org().id, filter, null, before == null ? Long.MAX_VALUE : before, size + 1)
                        .map(events -> {
                            List<AuditEvent> page = events.stream()
                                    .limit(size)
                                    .map(AuditTrailService::toWire)
                                    .toList();
                            String next = events.size() > size
                                    ? Long.toString(page.get(page.size() - 1).seq())
                                    : null;
                            return new AuditEventList(page, next);
                        }));
    }

    /** Oldest first. The export itself is on record (action {@code audit.export}) before the first line goes out. */
    public Uni<Export> export(Caller caller, String orgId, Query query, String format) {
        Filter filter = filter(query);
        boolean csv = "csv".equals(format);
        if (format != null && !csv && !"jsonl".equals(format)) {
            throw invalid("format is jsonl (default) or csv");
        }
        return resolve(caller, orgId, AuditAction.AUDIT_EXPORT)
                .call(a -> audit.commit(audit.entry(caller, a.org().id, AuditAction.AUDIT_EXPORT, null, null, null)
                        .withDetail(audit.detail(Map.of("format", csv ? "csv" : "jsonl")))))
                .map(a -> {
                    Multi<String> events = pages(a.org().id, filter)
                            .map(AuditTrailService::toWire)
                            .map(e -> csv ? AuditCsv.row(e) : jsonLine(e));
                    Multi<String> lines = csv
                            ? Multi.createBy()
                                    .concatenating()
                                    .streams(Multi.createFrom().item(AuditCsv.header()), events)
                            : events;
                    return new Export(
                            csv ? "text/csv" : "application/x-ndjson",
                            "audit-" + a.org().id + (csv ? ".csv" : ".jsonl"),
                            lines);
                });
    }

    private Multi<ChainedEvent> pages(UUID orgId, Filter filter) {
        AtomicLong after = new AtomicLong(0);
        return Multi.createBy()
                .repeating()
                .uni(
                        () -> after,
                        last -> reader.page(orgId, filter, last.get(), null, EXPORT_PAGE)
                                .invoke(page -> page.stream()
                                        .mapToLong(ChainedEvent::seq)
                                        .max()
                                        .ifPresent(last::set)))
                .whilst(page -> page.size() == EXPORT_PAGE)
                .onItem()
                .transformToIterable(page -> page);
    }

    /** Walks the org's chain in one database snapshot from its anchor to its head. */
    public Uni<AuditVerification> verify(Caller caller, String orgId) {
        return resolve(caller, orgId, AuditAction.AUDIT_VERIFY).chain(a -> {
            UUID org = a.org().id;
            return reader.inSnapshot(client -> reader.checkpoint(client, org)
                    .chain(checkpoint -> checkpointValid(org, checkpoint).chain(valid -> {
                        long anchorSeq =
                                checkpoint.map(AuditReader.Checkpoint::seq).orElse(0L);
                        if (!valid) {
                            return Uni.createFrom()
                                    .item(new AuditVerification(
                                            false,
                                            0,
                                            anchorSeq,
                                            anchorSeq,
                                            null,
                                            new AuditChainBreak(anchorSeq, null, "checkpoint_invalid")));
                        }
                        ChainVerifier verifier = new ChainVerifier(
                                anchorSeq,
                                checkpoint.map(AuditReader.Checkpoint::hash).orElse(AuditChain.GENESIS));
                        return walk(client, org, verifier)
                                .chain(broken -> broken.isPresent()
                                        ? Uni.createFrom().item(broken)
                                        : reader.head(client, org)
                                                .map(head -> verifier.finish(
                                                        head.map(AuditReader.Anchor::seq)
                                                                .orElse(0L),
                                                        head.map(AuditReader.Anchor::hash)
                                                                .orElse(AuditChain.GENESIS))))
                                .map(broken -> new AuditVerification(
                                        broken.isEmpty(),
                                        verifier.checked(),
                                        anchorSeq,
                                        verifier.lastSeq(),
                                        HexFormat.of().formatHex(verifier.lastHash()),
                                        broken.map(b -> new AuditChainBreak(
                                                        b.seq(), b.id() == null ? null : b.id().toString(), b.reason()))
                                                .orElse(null)));
                    })));
        });
    }

    private Uni<Optional<ChainVerifier.Break>> walk(SqlClient client, UUID org, ChainVerifier verifier) {
        return reader.page(
                        client,
                        org,
                        Filter.NONE,
                        verifier.lastSeq() - 1 < 0 ? -1L : verifier.lastSeq(),
                        null,
                        EXPORT_PAGE)
                .chain(page -> {
                    for (ChainedEvent event : page) {
                        Optional<ChainVerifier.Break> broken = verifier.accept(event);
                        if (broken.isPresent()) {
                            return Uni.createFrom().item(broken);
                        }
                    }
                    return page.size() < EXPORT_PAGE
                            ? Uni.createFrom().item(Optional.<ChainVerifier.Break>empty())
                            : walk(client, org, verifier);
                });
    }

    private Uni<Boolean> checkpointValid(UUID org, Optional<AuditReader.Checkpoint> checkpoint) {
        if (checkpoint.isEmpty()) {
            return Uni.createFrom().item(true);
        }
        AuditReader.Checkpoint c = checkpoint.get();
        return keys.orgKey(org, c.orgKeyVersion())
                .map(key -> AuditMac.verify(key.material(), org, c.seq(), c.hash(), micros(c.removedBefore()), c.mac()))
                .onFailure()
                .recoverWithItem(false);
    }

    static long micros(OffsetDateTime time) {
        return AuditMac.micros(time);
    }

    private Uni<Access> resolve(Caller caller, String orgId, AuditAction action) {
        return audit.guard(
                caller,
                orgId,
                action,
                null,
                null,
                () -> access.resolve(caller, orgId).invoke(Access::requireAuditRead));
    }

    private String jsonLine(AuditEvent event) {
        try {
            return json.writeValueAsString(event) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit record is not serializable", e);
        }
    }

    static AuditEvent toWire(ChainedEvent event) {
        var e = event.entry();
        return new AuditEvent(
                event.id().toString(),
                event.seq(),
                e.occurredAt().withOffsetSameInstant(ZoneOffset.UTC),
                e.actorType(),
                e.actorId(),
                e.actorName(),
                e.action(),
                e.environment(),
                e.name(),
                e.version(),
                e.detail(),
                e.outcome(),
                e.reason(),
                e.clientIp(),
                e.userAgent(),
                e.requestId(),
                HexFormat.of().formatHex(event.prevHash()),
                HexFormat.of().formatHex(event.hash()));
    }

    private static Filter filter(Query query) {
        if (query == null) {
            return Filter.NONE;
        }
        String env = query.env() == null || query.env().isEmpty() ? null : Validation.environment(query.env());
        String action = query.action() == null || query.action().isEmpty() ? null : query.action();
        if (action != null && !action.matches("^[a-z_]{1,32}(\\.([a-z_]{1,32})?)?$")) {
            throw invalid("action is an action name such as secret.read, or a family such as secret.");
        }
        String actor = query.actor() == null || query.actor().isEmpty() ? null : query.actor();
        Validation.text(actor, ErrorCode.INVALID_AUDIT_QUERY, "actor");
        if (actor != null && actor.length() > 320) {
            throw invalid("actor is a user id, email, API key id or name");
        }
        return new Filter(time(query.from(), "from"), time(query.to(), "to"), actor, action, env);
    }

    private static OffsetDateTime time(String text, String what) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException notDateTime) {
            try {
                return LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException notDate) {
                throw invalid(what + " is an ISO-8601 time (2026-11-29T20:00:00Z) or date (2026-11-29)");
            }
        }
    }

    private static Long cursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            long seq = Long.parseLong(cursor);
            if (seq < 1) {
                throw invalid("cursor is the next_cursor of a previous page");
            }
            return seq;
        } catch (NumberFormatException e) {
            throw invalid("cursor is the next_cursor of a previous page");
        }
    }

    private static CrateException invalid(String detail) {
        return new CrateException(ErrorCode.INVALID_AUDIT_QUERY, detail);
    }
}
