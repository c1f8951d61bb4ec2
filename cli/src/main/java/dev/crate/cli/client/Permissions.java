package dev.crate.cli.client;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A 403's detail turned into the grant the caller lacks ({@code needs prod:read}), where the detail says enough. */
final class Permissions {
    private static final Pattern READ = Pattern.compile("reading secret values in '([^']+)'");
    private static final Pattern WRITE = Pattern.compile("changing secrets in '([^']+)'");
    private static final Pattern ADMIN = Pattern.compile("needs the admin role in the organization");

    private Permissions() {}

    static String denied(String detail) {
        if (detail == null || detail.isBlank()) {
            return "permission denied: your role in this organization does not allow this (ask an admin)";
        }
        Matcher read = READ.matcher(detail);
        if (read.find()) {
            return "permission denied: needs " + read.group(1) + ":read (" + detail + "); ask an admin for the grant";
        }
        Matcher write = WRITE.matcher(detail);
        if (write.find()) {
            return "permission denied: needs " + write.group(1) + ":write (" + detail + "); ask an admin for the grant";
        }
        if (ADMIN.matcher(detail).find()) {
            return "permission denied: needs the admin role (" + detail + ")";
        }
        return "permission denied: " + detail;
    }
}
