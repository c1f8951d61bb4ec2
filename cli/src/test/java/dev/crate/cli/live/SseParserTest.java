package dev.crate.cli.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SseParserTest {
    @Test
    void joinsMultiLineDataWithNewlines() {
        List<SseParser.Event> events = new SseParser().lines("event: change\ndata: {\"a\":\ndata:1}\n\n");
        assertEquals(List.of(new SseParser.Event(null, "change", "{\"a\":\n1}")), events);
    }

    @Test
    void ignoresCommentLinesSuchAsHeartbeats() {
        SseParser parser = new SseParser();
        List<SseParser.Event> events = parser.lines(": heartbeat\n\n:\nevent: change\n: inside\ndata: x\n\n");
        assertEquals(List.of(new SseParser.Event(null, "change", "x")), events);
    }

    @Test
    void remembersTheLastIdAcrossEventsForResuming() {
        SseParser parser = new SseParser();
        List<SseParser.Event> events = parser.lines("id: 7\nevent: change\ndata: a\n\ndata: b\n\n");
        assertEquals("7", events.get(0).id());
        assertEquals("7", events.get(1).id(), "an event without id keeps the last one");
        assertEquals(Optional.of("7"), parser.lastId());
        parser.lines("id: 9\n\n");
        assertEquals(Optional.of("9"), parser.lastId(), "an id line without data still moves the id");
    }

    @Test
    void readsRetryOnlyWhenItIsDigits() {
        SseParser parser = new SseParser();
        parser.lines("retry: 2500\n\n");
        assertEquals(Optional.of(2500L), parser.retryMillis());
        parser.lines("retry: soon\n\n");
        assertEquals(Optional.of(2500L), parser.retryMillis());
    }

    @Test
    void dispatchesNothingWithoutDataAndDefaultsTheTypeToMessage() {
        SseParser parser = new SseParser();
        assertTrue(parser.lines("event: change\n\n").isEmpty());
        assertEquals(List.of(new SseParser.Event(null, "message", "x")), parser.lines("data: x\n\n"));
    }

    @Test
    void takesCarriageReturnLineEndsAndFieldsWithoutSpaceOrValue() {
        List<SseParser.Event> events = new SseParser().lines("event:reset\r\ndata\r\ndata:{\"reason\":\"gap\"}\r\r");
        assertEquals(List.of(new SseParser.Event(null, "reset", "\n{\"reason\":\"gap\"}")), events);
    }

    @Test
    void anEventTypeDoesNotCarryOverToTheNextEvent() {
        SseParser parser = new SseParser();
        parser.lines("event: change\ndata: a\n\n");
        assertEquals("message", parser.lines("data: b\n\n").get(0).type());
    }
}
