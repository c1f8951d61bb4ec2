package dev.crate.server.domain;

import dev.crate.protocol.ErrorCode;
import dev.crate.protocol.Limits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/** Input checks shared by the services; each failure names the field and the rule, never echoes a value. */
public final class Validation {
    private Validation() {}

    public static String secretName(String name) {
        if (name == null || !Limits.SECRET_NAME.matcher(name).matches()) {
            throw new CrateException(
                    ErrorCode.INVALID_NAME,
                    "name must match " + Limits.SECRET_NAME.pattern()
                            + " (a valid environment variable name, at most 128 characters)");
        }
        return name;
    }

    public static String environment(String environment) {
        if (environment == null || environment.isEmpty()) {
            return Limits.DEFAULT_ENVIRONMENT;
        }
        if (!Limits.ENVIRONMENT.matcher(environment).matches()) {
            throw new CrateException(
                    ErrorCode.INVALID_ENVIRONMENT, "environment must match " + Limits.ENVIRONMENT.pattern());
        }
        return environment;
    }

    public static String tag(String tag) {
        if (tag == null || !Limits.TAG.matcher(tag).matches()) {
            throw new CrateException(ErrorCode.INVALID_TAG, "tags must match " + Limits.TAG.pattern());
        }
        return tag;
    }

    /** Distinct, sorted, each valid, at most 20. */
    public static List<String> tags(List<String> tags) {
        if (tags == null) {
            return List.of();
        }
        TreeSet<String> distinct = new TreeSet<>();
        for (String tag : tags) {
            distinct.add(tag(tag));
        }
        if (distinct.size() > Limits.MAX_TAGS_PER_SECRET) {
            throw new CrateException(
                    ErrorCode.TOO_MANY_TAGS, "a secret has at most " + Limits.MAX_TAGS_PER_SECRET + " tags");
        }
        return List.copyOf(distinct);
    }

    /** A tag filter: blank entries are dropped and the rest trimmed, then checked like {@link #tags}. */
    public static List<String> tagFilter(List<String> filter) {
        if (filter == null) {
            return List.of();
        }
        List<String> tags = new ArrayList<>();
        for (String part : filter) {
            if (part != null && !part.isBlank()) {
                tags.add(part.trim());
            }
        }
        return tags(tags);
    }

    public static List<String> names(List<String> names) {
        return names(names, Limits.MAX_NAMES_PER_STREAM);
    }

    /** Valid secret names, duplicates merged, at most {@code max} of them (null stays null). */
    public static List<String> names(List<String> names, int max) {
        if (names == null) {
            return null;
        }
        if (names.size() > max) {
            throw new CrateException(ErrorCode.TOO_MANY_NAMES, "names holds at most " + max + " entries");
        }
        return names.stream().map(Validation::secretName).distinct().toList();
    }

    /**
     * Free text bound for a PostgreSQL {@code text} column, which cannot hold U+0000: refused as a bad
     * input with {@code code} instead of failing in the database.
     */
    public static String text(String text, ErrorCode code, String field) {
        if (text != null && text.indexOf('\u0000') >= 0) {
            throw new CrateException(code, field + " must not contain the character U+0000 (NUL)");
        }
        return text;
    }

    public static List<String> sorted(String[] tags) {
        String[] copy = tags == null ? new String[0] : tags.clone();
        Arrays.sort(copy);
        return List.of(copy);
    }
}
