package dev.crate.cli.commands.run;

import dev.crate.protocol.wire.SecretMetadata;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What {@code crate run} tells on stderr before the child starts: which secrets it injected, and which
 * secrets of the environment a tag filter left out, so that a missing variable is never a silent surprise.
 * Names only, never values.
 */
record Injection(
        String environment,
        List<String> tags,
        List<String> names,
        Collection<String> injected,
        List<String> keptFromParent) {
    private static final int MAX_LISTED = 10;

    /** {@code injected 3 secrets from dev tagged backend}. */
    String summary() {
        String line = "injected " + count(injected.size() - keptFromParent.size()) + " from " + environment + filter();
        return keptFromParent.isEmpty()
                ? line
                : line + "; kept your own " + String.join(", ", keptFromParent) + " (--preserve-env)";
    }

    /** {@code no secrets in dev tagged backend}. */
    String nothing() {
        return "no secrets in " + environment + filter();
    }

    /** {@code 1 secret in dev has no tag 'backend': STRIPE_API_KEY}, when the tag filter left any out. */
    Optional<String> leftOut(List<SecretMetadata> all) {
        List<String> left = all.stream()
                .map(SecretMetadata::name)
                .filter(n -> !injected.contains(n))
                .sorted()
                .toList();
        if (left.isEmpty()) {
            return Optional.empty();
        }
        boolean one = left.size() == 1;
        String which = tags.size() == 1
                ? (one ? " has no tag '" : " have no tag '") + tags.get(0) + "'"
                : (one ? " lacks" : " lack") + " some of the tags '" + String.join(",", tags) + "'";
        String listed = left.size() <= MAX_LISTED
                ? String.join(", ", left)
                : String.join(", ", left.subList(0, MAX_LISTED)) + " and " + (left.size() - MAX_LISTED) + " more";
        return Optional.of(count(left.size()) + " in " + environment + which + ": " + listed);
    }

    private String filter() {
        StringBuilder filter = new StringBuilder();
        if (!tags.isEmpty()) {
            filter.append(" tagged ").append(String.join(",", tags));
        }
        if (names != null) {
            filter.append(tags.isEmpty() ? " named " : " and named ").append(String.join(",", names));
        }
        return filter.toString();
    }

    private static String count(int n) {
        return n + (n == 1 ? " secret" : " secrets");
    }
}
