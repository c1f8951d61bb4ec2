package dev.crate.cli.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crate.cli.client.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code .crate.yaml}, found by walking up from the working directory: {@code org}, {@code env},
 * {@code tags} (a list or a comma-separated string) and optionally {@code server}.
 */
public record ProjectFile(Path path, Optional<String> server, Optional<String> org, Optional<String> env, List<String> tags) {
    public static final String NAME = ".crate.yaml";

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
                return new ProjectFile(file, Optional.empty(), Optional.empty(), Optional.empty(), List.of());
            }
            return new ProjectFile(file, text(root, "server"), text(root, "org"), text(root, "env"), tags(root.get("tags")));
        } catch (IOException e) {
            throw new CliException(file + " is not valid YAML");
        }
    }

    private static Optional<String> text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() || node.asText().isBlank() ? Optional.empty() : Optional.of(node.asText().trim());
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
