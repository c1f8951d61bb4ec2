package dev.crate.cli.client;

import dev.crate.protocol.wire.RetrievedPayload;
import dev.crate.protocol.wire.RetrievedSecret;
import dev.crate.protocol.wire.SecretMetadata;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The few wire shapes of the lean path read from {@link LeanJson} trees as Jackson reads them into the
 * records of {@code dev.crate.protocol.wire} (unknown fields ignored, an absent field null or 0, a scalar
 * where a string is expected taken as its text); any other shape is a {@link LeanJson.MalformedException}.
 */
final class LeanWire {
    private LeanWire() {}

    /** {@code {"secrets": [SecretMetadata...]}}: the list, or null when absent. */
    static List<SecretMetadata> secretList(Object root) {
        List<Object> items = list(object(root).get("secrets"));
        if (items == null) {
            return null;
        }
        List<SecretMetadata> secrets = new ArrayList<>(items.size());
        for (Object item : items) {
            Map<String, Object> s = object(item);
            secrets.add(new SecretMetadata(
                    string(s.get("name")),
                    string(s.get("environment")),
                    integer(s.get("version")),
                    strings(s.get("tags")),
                    time(s.get("updated_at"))));
        }
        return secrets;
    }

    /** {@code {"sealed_payload": "..."}}. */
    static String sealedPayload(Object root) {
        return string(object(root).get("sealed_payload"));
    }

    /** {@code "next"} of a retrieve answer: where the next page starts, or null on the last page. */
    static String next(Object root) {
        return string(object(root).get("next"));
    }

    /** The plaintext of a retrieve answer: {@code {"environment", "secrets": [...], "missing": [...]}}. */
    static RetrievedPayload payload(Object root) {
        Map<String, Object> map = object(root);
        List<Object> items = list(map.get("secrets"));
        List<RetrievedSecret> secrets = null;
        if (items != null) {
            secrets = new ArrayList<>(items.size());
            for (Object item : items) {
                Map<String, Object> s = object(item);
                secrets.add(new RetrievedSecret(
                        string(s.get("name")),
                        string(s.get("value")),
                        integer(s.get("version")),
                        strings(s.get("tags"))));
            }
        }
        return new RetrievedPayload(string(map.get("environment")), secrets, strings(map.get("missing")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        if (value instanceof Map) {
            return (Map<String, Object>) value;
        }
        throw new LeanJson.MalformedException("expected an object");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        if (value == null || value instanceof List) {
            return (List<Object>) value;
        }
        throw new LeanJson.MalformedException("expected an array");
    }

    private static String string(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new LeanJson.MalformedException("expected a string");
    }

    private static List<String> strings(Object value) {
        List<Object> items = list(value);
        if (items == null) {
            return null;
        }
        List<String> strings = new ArrayList<>(items.size());
        for (Object item : items) {
            strings.add(string(item));
        }
        return strings;
    }

    private static int integer(Object value) {
        if (value == null) {
            return 0;
        }
        try {
            long n =
                    value instanceof Long l ? l : value instanceof String s ? Long.parseLong(s.trim()) : Long.MIN_VALUE;
            if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new LeanJson.MalformedException("expected an int");
    }

    private static OffsetDateTime time(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Long seconds) {
            return OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds), ZoneOffset.UTC);
        }
        try {
            return OffsetDateTime.parse(string(value));
        } catch (DateTimeParseException e) {
            throw new LeanJson.MalformedException("expected a date-time");
        }
    }
}
