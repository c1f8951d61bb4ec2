package dev.crate.cli.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.crate.cli.client.CliException;
import dev.crate.cli.client.Json;
import java.io.IOException;
import java.io.PrintStream;

/** Prints a command's data in the chosen {@link Format}: the table for people, the data itself for scripts. */
public final class Printer {
    private final Format format;
    private final PrintStream out;

    public Printer(Format format, PrintStream out) {
        this.format = format;
        this.out = out;
    }

    public Format format() {
        return format;
    }

    public void print(Object data, Table table) {
        switch (format) {
            case JSON -> out.println(json(data));
            case YAML -> out.print(yaml(data));
            default -> table.print(out);
        }
    }

    public static String json(Object data) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(data);
        } catch (IOException e) {
            throw new CliException("cannot print JSON");
        }
    }

    public static String yaml(Object data) {
        try {
            ObjectMapper yaml =
                    new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
            return yaml.writeValueAsString(Json.MAPPER.valueToTree(data));
        } catch (IOException e) {
            throw new CliException("cannot print YAML");
        }
    }
}
