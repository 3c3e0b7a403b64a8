package io.campanile.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseTest {
    @Test
    void namedAndUnnamedEventsWithIdsAndMultilineData() {
        String stream = "data:{\"a\":1}\n\n: keep-alive\n\nevent: progress\nid: 7\ndata: {\"step\":\n"
                + "data: 2}\n\nevent:status\nid:8\ndata:x\n\n";
        List<Sse.Event> events = new ArrayList<>();
        assertFalse(Sse.read(stream.lines().iterator(), events::add));
        assertEquals(
                List.of(
                        new Sse.Event(null, null, "{\"a\":1}"),
                        new Sse.Event("progress", "7", "{\"step\":\n2}"),
                        new Sse.Event("status", "8", "x")),
                events);
    }

    @Test
    void theHandlerStopsTheReading() {
        List<Sse.Event> events = new ArrayList<>();
        assertTrue(Sse.read("data:1\n\ndata:2\n\n".lines().iterator(), e -> events.add(e) && false));
        assertEquals(1, events.size());
    }
}
