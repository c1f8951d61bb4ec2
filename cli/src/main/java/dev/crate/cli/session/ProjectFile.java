package dev.crate.cli.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.crate.cli.client.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code .crate.yaml}, found by walking up from the working directory: {@code org}, {@code env},
 * {@code tags} (a list or a comma-separated string) and optionally {@code server}. Other keys are kept
 * as {@link #unknownKeys()} so that a typo ({@code envv: prod}) is warned about, not silently ignored.
 */
public record ProjectFile(
        Path path,
        Optional<String> server,
        Optional<String> org,
        Optional<String> env,
        List<String> tags,
        List<String> unknownKeys) {
    public static final String NAME = ".crate.yaml";
    public static final List<String> KEYS = List.of("org", "env", "tags", "server");

    public static Optional<ProjectFile> find(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(NAME);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(read(candidate));
            }
        }
        return Optional.empty();
    }

    static ProjectFile read(Path file) {
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            if (root == null || !root.isObject()) {
                return new ProjectFile(
                        file, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of());
            }
            List<String> unknown = new ArrayList<>();
            root.fieldNames().forEachRemaining(key -> {
                if (!KEYS.contains(key)) {
                    unknown.add(key);
                }
            });
            return new ProjectFile(
                    file, text(root, "server"), text(root, "org"), text(root, "env"), tags(root.get("tags")), unknown);
        } catch (IOException e) {
            throw new CliException(file + " is not valid YAML");
        }
    }

    /** {@code .crate.yaml: unknown key 'envv' (did you mean 'env'?); known keys: org, env, tags, server}. */
    public List<String> warnings() {
        return unknownKeys.stream()
                .map(key -> path + ": unknown key '" + key + "'"
                        + closest(key).map(k -> " (did you mean '" + k + "'?)").orElse("") + "; known keys: "
                        + String.join(", ", KEYS) + "; it is ignored")
                .toList();
    }

    private static Optional<String> closest(String key) {
        return KEYS.stream()
                .filter(k -> distance(k, key.toLowerCase(java.util.Locale.ROOT)) <= 2)
                .findFirst();
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            previous = current;
        }
        return previous[b.length()];
    }

    private static Optional<String> text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() || node.asText().isBlank()
                ? Optional.empty()
                : Optional.of(node.asText().trim());
    }

    private static List<String> tags(JsonNode node) {
        List<String> tags = new ArrayList<>();
        if (node == null || node.isNull()) {
            return tags;
        }
        if (node.isArray()) {
            node.forEach(t -> tags.add(t.asText().trim()));
        } else {
            for (String t : node.asText().split(",")) {
                if (!t.isBlank()) {
                    tags.add(t.trim());
                }
            }
        }
        return tags;
    }
}
