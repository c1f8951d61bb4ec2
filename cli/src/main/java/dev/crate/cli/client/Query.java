package dev.crate.cli.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/** A request path with its query parameters; absent or empty values are left out, the rest encoded. */
final class Query {
    private final StringBuilder path;
    private boolean first = true;

    private Query(String path) {
        this.path = new StringBuilder(path);
    }

    static Query path(String path) {
        return new Query(path);
    }

    /** One path segment, encoded. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    Query param(String name, String value) {
        if (value != null && !value.isEmpty()) {
            path.append(first ? '?' : '&')
                    .append(name)
                    .append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            first = false;
        }
        return this;
    }

    Query param(String name, Collection<String> values) {
        return values == null || values.isEmpty() ? this : param(name, String.join(",", values));
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
