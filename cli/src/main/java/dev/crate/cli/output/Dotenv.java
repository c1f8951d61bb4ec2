package dev.crate.cli.output;

import dev.crate.cli.client.CliException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes {@code .env} files the way the common loaders (node {@code dotenv},
 * python-dotenv) read them. Writing picks, per value, a quoting both loaders read back verbatim
 * (single quotes, else double quotes with real newlines); values mixing both quote characters and
 * backslashes fall back to backticks (node) or escaped double quotes (python-dotenv rules).
 */
public final class Dotenv {
    private Dotenv() {}

    public static String write(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((name, value) ->
                out.append(name).append('=').append(quote(value)).append('\n'));
        return out.toString();
    }

    static String quote(String value) {
        boolean backslash = value.indexOf('\\') >= 0;
        if (value.indexOf('\'') < 0 && !backslash) {
            return "'" + value + "'";
        }
        if (value.indexOf('"') < 0 && !backslash) {
            return "\"" + value + "\"";
        }
        if (value.indexOf('`') < 0) {
            return "`" + value + "`";
        }
        return "\""
                + value.replace("\\", "\\\\")
                        .replace("\"", "\\\"")
                        .replace("\n", "\\n")
                        .replace("\r", "\\r") + "\"";
    }

    /** Parses a {@code .env} text; later duplicates win, as in the loaders. */
    public static Map<String, String> read(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        Cursor c = new Cursor(text.replace("\r\n", "\n"));
        while (c.more()) {
            c.skipBlank();
            if (!c.more()) {
                break;
            }
            if (c.peek() == '#') {
                c.skipLine();
                continue;
            }
            String name = c.name();
            c.skipSpaces();
            if (!c.more() || c.peek() != '=') {
                throw new CliException("line " + c.line() + ": expected NAME=VALUE");
            }
            c.next();
            c.skipSpaces();
            values.put(name, c.value());
        }
        return values;
    }

    /** A position in the text being parsed. */
    private static final class Cursor {
        private final String text;
        private int pos;

        Cursor(String text) {
            this.text = text;
        }

        boolean more() {
            return pos < text.length();
        }

        char peek() {
            return text.charAt(pos);
        }

        char next() {
            return text.charAt(pos++);
        }

        int line() {
            return (int) text.substring(0, pos).chars().filter(ch -> ch == '\n').count() + 1;
        }

        void skipBlank() {
            while (more() && Character.isWhitespace(peek())) {
                pos++;
            }
        }

        void skipSpaces() {
            while (more() && (peek() == ' ' || peek() == '\t')) {
                pos++;
            }
        }

        void skipLine() {
            while (more() && next() != '\n') {
                // skip
            }
        }

        String name() {
            int start = pos;
            while (more() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '.' || peek() == '-')) {
                pos++;
            }
            String name = text.substring(start, pos);
            if (name.equals("export") && more() && (peek() == ' ' || peek() == '\t')) {
                skipSpaces();
                return name();
            }
            if (name.isEmpty()) {
                throw new CliException("line " + line() + ": expected a variable name");
            }
            return name;
        }

        String value() {
            if (!more() || peek() == '\n') {
                return "";
            }
            char q = peek();
            if (q == '\'' || q == '`') {
                return literal(q);
            }
            if (q == '"') {
                return doubleQuoted();
            }
            return unquoted();
        }

        private String literal(char quote) {
            int start = ++pos;
            int end = text.indexOf(quote, start);
            if (end < 0) {
                throw new CliException("line " + line() + ": unterminated " + quote + "-quoted value");
            }
            pos = end + 1;
            skipLine();
            return text.substring(start, end);
        }

        private String doubleQuoted() {
            pos++;
            StringBuilder value = new StringBuilder();
            while (more()) {
                char ch = next();
                if (ch == '"') {
                    skipLine();
                    return value.toString();
                }
                if (ch == '\\' && more()) {
                    value.append(unescape(next()));
                } else {
                    value.append(ch);
                }
            }
            throw new CliException("line " + line() + ": unterminated double-quoted value");
        }

        private static String unescape(char ch) {
            return switch (ch) {
                case 'n' -> "\n";
                case 'r' -> "\r";
                case 't' -> "\t";
                case '"' -> "\"";
                case '\'' -> "'";
                case '\\' -> "\\";
                default -> "\\" + ch;
            };
        }

        private String unquoted() {
            int start = pos;
            int end = text.indexOf('\n', start);
            end = end < 0 ? text.length() : end;
            pos = end;
            String raw = text.substring(start, end);
            int comment = raw.indexOf(" #");
            if (comment >= 0) {
                raw = raw.substring(0, comment);
            }
            return raw.trim();
        }
    }
}
