package dev.crate.cli.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a {@code text/event-stream} line by line, as the HTML standard's event-stream rules say: {@code data}
 * lines of one event are joined with newlines, a blank line ends the event, lines starting with {@code :} are
 * comments (the server's heartbeats), {@code id} is remembered across events (it is what a reconnect sends as
 * {@code Last-Event-ID}), {@code retry} sets the reconnection delay. Unknown fields are ignored.
 */
public final class SseParser {
    /** One dispatched event; {@code type} defaults to {@code message}. */
    public record Event(String id, String type, String data) {}

    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String type;
    private String lastId;
    private Long retryMillis;

    /** Feeds one line (without its line terminator); answers the event a blank line completes, if any. */
    public Optional<Event> line(String line) {
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> type = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastId = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(Character::isDigit) && value.length() < 10) {
                    retryMillis = Long.parseLong(value);
                }
            }
            default -> {
                // ignored, as the standard says
            }
        }
        return Optional.empty();
    }

    /** Feeds a chunk of text holding whole lines ({@code \n}, {@code \r\n} or {@code \r} terminated). */
    public List<Event> lines(String text) {
        List<Event> events = new ArrayList<>();
        for (String line : text.split("\r\n|\r|\n", -1)) {
            line(line).ifPresent(events::add);
        }
        return events;
    }

    private Optional<Event> dispatch() {
        String eventType = type == null || type.isEmpty() ? "message" : type;
        type = null;
        if (!hasData) {
            return Optional.empty();
        }
        Event event = new Event(lastId, eventType, data.toString());
        data.setLength(0);
        hasData = false;
        return Optional.of(event);
    }

    /** The id of the last event seen (kept across events, as {@code Last-Event-ID} needs). */
    public Optional<String> lastId() {
        return Optional.ofNullable(lastId).filter(s -> !s.isEmpty());
    }

    /** The delay the server asked for with {@code retry:}, if it did. */
    public Optional<Long> retryMillis() {
        return Optional.ofNullable(retryMillis);
    }
}
