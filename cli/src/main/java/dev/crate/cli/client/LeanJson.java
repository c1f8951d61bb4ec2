package dev.crate.cli.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer for the lean path ({@code run}, {@code secrets list}, {@code secrets fetch}
 * and the settings files): Jackson costs a one-shot command ~700 classes and tens of milliseconds before its
 * first byte. It reads RFC 8259 JSON into {@link Map} (insertion order), {@link List}, {@link String},
 * {@link Long} (or {@link java.math.BigInteger} when larger) or {@link Double}, {@link Boolean} and null,
 * and writes the same. Everything else in the CLI
 * keeps using {@link Json#MAPPER}.
 */
public final class LeanJson {
    /** Nesting deeper than this is refused (no answer of a Crate server comes close). */
    private static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;

    private LeanJson(String text) {
        this.text = text;
    }

    /** Thrown for text that is not one JSON value. */
    public static final class MalformedException extends RuntimeException {
        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    public static Object parse(String text) {
        LeanJson reader = new LeanJson(text);
        reader.blank();
        Object value = reader.value(0);
        reader.blank();
        if (reader.pos != text.length()) {
            throw new MalformedException("trailing characters at " + reader.pos);
        }
        return value;
    }

    /** Parses text that must hold one JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new MalformedException("not a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new MalformedException("nested too deep");
        }
        if (pos >= text.length()) {
            throw new MalformedException("unexpected end");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        blank();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            blank();
            if (peek() != '"') {
                throw new MalformedException("expected a name at " + pos);
            }
            String name = string();
            blank();
            expect(':');
            blank();
            map.put(name, value(depth + 1));
            blank();
            char c = next();
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                throw new MalformedException("expected , or } at " + (pos - 1));
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> list = new ArrayList<>();
        pos++;
        blank();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            blank();
            list.add(value(depth + 1));
            blank();
            char c = next();
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                throw new MalformedException("expected , or ] at " + (pos - 1));
            }
        }
    }

    private String string() {
        pos++;
        StringBuilder out = null;
        int start = pos;
        while (true) {
            char c = next();
            if (c == '"') {
                return out == null ? text.substring(start, pos - 1) : out.toString();
            }
            if (c < 0x20) {
                throw new MalformedException("control character in a string at " + (pos - 1));
            }
            if (c == '\\') {
                if (out == null) {
                    out = new StringBuilder().append(text, start, pos - 1);
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw new MalformedException("short \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException x) {
                            throw new MalformedException("bad \\u escape at " + pos);
                        }
                        pos += 4;
                    }
                    default -> throw new MalformedException("bad escape at " + (pos - 1));
                }
            } else if (out != null) {
                out.append(c);
            }
        }
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        boolean integral = true;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c >= '0' && c <= '9') {
                pos++;
            } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                integral = false;
                pos++;
            } else {
                break;
            }
        }
        String digits = text.substring(start, pos);
        if (digits.isEmpty() || digits.equals("-")) {
            throw new MalformedException("unexpected character at " + start);
        }
        try {
            if (integral) {
                try {
                    return Long.parseLong(digits);
                } catch (NumberFormatException tooLarge) {
                    return new java.math.BigInteger(digits);
                }
            }
            return Double.parseDouble(digits);
        } catch (NumberFormatException e) {
            throw new MalformedException("bad number at " + start);
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw new MalformedException("unexpected character at " + pos);
        }
        pos += word.length();
        return value;
    }

    private void blank() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw new MalformedException("unexpected end");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw new MalformedException("expected " + c + " at " + (pos - 1));
        }
    }

    /** Writes maps (string keys), lists, strings, numbers, booleans and null as compact JSON. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            quote(out, s);
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote(out, String.valueOf(entry.getKey()));
                out.append(':');
                write(out, entry.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(out, list.get(i));
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException(
                    "not a JSON value: " + value.getClass().getSimpleName());
        }
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
