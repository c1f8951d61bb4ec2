package dev.crate.cli.output;

import dev.crate.cli.client.CliException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes {@code .env} files. What it writes is safe to {@code source} in a POSIX shell (nothing in a value
 * is expanded or run: no command substitution, no parameter expansion) and reads back exactly there, newlines
 * included; node {@code dotenv} and python-dotenv read most values back verbatim too:
 *
 * <ul>
 *   <li>a value without {@code '} is single-quoted, which every reader takes literally (python-dotenv alone
 *       turns {@code \\} into {@code \} there);
 *   <li>a value with {@code '} but none of {@code $}, {@code `}, {@code "} or {@code \} is double-quoted, where none
 *       of the shell's or the loaders' special characters occur;
 *   <li>any other value (a {@code '} beside one of those) is written the shell's way, single-quoted with each
 *       {@code '} as {@code '\''}. The shell and {@link #read} read it back; the loaders do not (docs/CLI.md says
 *       so: use JSON or YAML for them).
 * </ul>
 */
public final class Dotenv {
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

    private Dotenv() {}

    public static String write(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((name, value) -> {
            if (!NAME.matcher(name).matches()) {
                // the server allows no other names; one that got here must not reach a shell as code
                throw new CliException("'" + name + "' is no variable name a shell can take; use --format json");
            }
            out.append(name).append('=').append(quote(value)).append('\n');
        });
        return out.toString();
    }

    static String quote(String value) {
        if (value.indexOf('\'') < 0) {
            return "'" + value + "'";
        }
        if (value.chars().noneMatch(ch -> ch == '$' || ch == '`' || ch == '"' || ch == '\\')) {
            return "\"" + value + "\"";
        }
        return "'" + value.replace("'", "'\\''") + "'";
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
            StringBuilder value = new StringBuilder();
            while (true) {
                int start = ++pos;
                int end = text.indexOf(quote, start);
                if (end < 0) {
                    throw new CliException("line " + line() + ": unterminated " + quote + "-quoted value");
                }
                value.append(text, start, end);
                pos = end + 1;
                // the shell's way of putting ' in a single-quoted value: 'it'\''s' is it's
                if (quote == '\'' && text.startsWith("\\''", pos)) {
                    value.append('\'');
                    pos += 2;
                    continue;
                }
                skipLine();
                return value.toString();
            }
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
