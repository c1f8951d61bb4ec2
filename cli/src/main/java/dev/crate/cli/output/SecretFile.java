package dev.crate.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.crate.cli.client.CliException;
import dev.crate.cli.client.Json;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** NAME → value maps as {@code .env}, JSON or YAML files: what fetch and export write and import reads. */
public final class SecretFile {
    public enum Kind {
        DOTENV,
        JSON,
        YAML
    }

    private SecretFile() {}

    public static Kind kind(String value) {
        if (value == null || value.isBlank()) {
            return Kind.DOTENV;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "dotenv", "env", ".env" -> Kind.DOTENV;
            case "json" -> Kind.JSON;
            case "yaml", "yml" -> Kind.YAML;
            default -> throw CliException.usage("unknown format '" + value + "': use dotenv, json or yaml");
        };
    }

    /** Guesses from a file name: {@code .json}, {@code .yaml}/{@code .yml}, else dotenv. */
    public static Kind kindOfFile(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return Kind.JSON;
        }
        return name.endsWith(".yaml") || name.endsWith(".yml") ? Kind.YAML : Kind.DOTENV;
    }

    public static String write(Map<String, String> values, Kind kind) {
        return switch (kind) {
            case DOTENV -> Dotenv.write(values);
            case JSON -> Printer.json(values) + "\n";
            case YAML -> Printer.yaml(values);
        };
    }

    public static Map<String, String> read(String text, Kind kind) {
        if (kind == Kind.DOTENV) {
            return Dotenv.read(text);
        }
        ObjectMapper mapper = kind == Kind.JSON ? Json.MAPPER : new ObjectMapper(new YAMLFactory());
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (IOException e) {
            throw new CliException("the file is not valid " + kind.name().toLowerCase(Locale.ROOT));
        }
        if (root == null || !root.isObject()) {
            throw new CliException("the file must hold one object of NAME: value pairs");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isValueNode()) {
                throw new CliException(field.getKey() + ": the value must be a string, number or boolean");
            }
            values.put(field.getKey(), field.getValue().asText());
        }
        return values;
    }
}
