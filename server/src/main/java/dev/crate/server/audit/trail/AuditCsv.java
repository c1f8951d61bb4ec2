package dev.crate.server.audit.trail;

import dev.crate.protocol.wire.AuditEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV rows (RFC 4180) of audit records, for spreadsheets. A cell that a spreadsheet would run as a
 * formula (it starts with =, +, -, @, tab or CR: a user agent is the client's to choose) gets a leading
 * apostrophe; the JSON lines export is the exact form to verify hashes against.
 */
public final class AuditCsv {
    private static final List<String> COLUMNS = List.of(
            "id",
            "seq",
            "occurred_at",
            "actor_type",
            "actor_id",
            "actor_name",
            "action",
            "environment",
            "name",
            "version",
            "detail",
            "outcome",
            "reason",
            "client_ip",
            "user_agent",
            "request_id",
            "prev_hash",
            "hash");

    private AuditCsv() {}

    public static String header() {
        return String.join(",", COLUMNS) + "\r\n";
    }

    public static String row(AuditEvent e) {
        List<Object> cells =
                new ArrayList<>(List.of(e.id(), e.seq(), e.occurredAt().toString()));
        cells.add(e.actorType());
        cells.add(e.actorId());
        cells.add(e.actorName());
        cells.add(e.action());
        cells.add(e.environment());
        cells.add(e.name());
        cells.add(e.version());
        cells.add(e.detail());
        cells.add(e.outcome());
        cells.add(e.reason());
        cells.add(e.clientIp());
        cells.add(e.userAgent());
        cells.add(e.requestId());
        cells.add(e.prevHash());
        cells.add(e.hash());
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(cell(cells.get(i)));
        }
        return line.append("\r\n").toString();
    }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 && !(value instanceof Number)) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            text = "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
