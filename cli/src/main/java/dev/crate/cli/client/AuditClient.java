package dev.crate.cli.client;

import dev.crate.protocol.wire.AuditEvent;
import dev.crate.protocol.wire.AuditEventList;
import dev.crate.protocol.wire.AuditVerification;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/** The audit trail of one organization (admins): pages of records, the streamed export, the chain check. */
public final class AuditClient {
    /** The server answers at most this many records per page. */
    private static final int PAGE = 1000;

    private final CrateClient client;
    private final String path;

    /** Filters of the trail; null or empty means no such filter. */
    public record Filter(String from, String to, String actor, String action, String environment) {
        Query apply(Query query) {
            return query.param("from", from)
                    .param("to", to)
                    .param("actor", actor)
                    .param("action", action)
                    .param("env", environment);
        }
    }

    public AuditClient(CrateClient client, String orgId) {
        this.client = client;
        this.path = CrateClient.orgPath(orgId) + "/audit";
    }

    /** Up to {@code limit} records, newest first, following the server's cursor across pages. */
    public List<AuditEvent> list(Filter filter, int limit) {
        List<AuditEvent> events = new ArrayList<>();
        String cursor = null;
        do {
            Query query = filter.apply(Query.path(path))
                    .param("limit", Integer.toString(Math.min(PAGE, limit - events.size())))
                    .param("cursor", cursor);
            AuditEventList page = client.get(query.toString(), AuditEventList.class);
            if (page.events() != null) {
                events.addAll(page.events());
            }
            cursor = page.nextCursor();
        } while (cursor != null && events.size() < limit);
        return events.size() > limit ? events.subList(0, limit) : events;
    }

    /** Every record, oldest first, streamed to {@code out} as {@code jsonl} or {@code csv}. */
    public void export(Filter filter, String format, OutputStream out) {
        client.download(
                filter.apply(Query.path(path + "/export"))
                        .param("format", format)
                        .toString(),
                out);
    }

    public AuditVerification verify() {
        return client.get(path + "/verify", AuditVerification.class);
    }
}
