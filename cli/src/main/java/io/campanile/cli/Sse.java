package io.campanile.cli;

import java.util.Iterator;
import java.util.function.Predicate;

/**
 * A reader of Server-Sent Events (the WHATWG event-stream format): {@code event:}, {@code id:} and {@code data:}
 * lines, a blank line ending each event, comments ({@code :}) ignored, several data lines joined by newlines.
 */
final class Sse {
    /**
     * One event.
     *
     * @param name the {@code event:} name, or null for an unnamed message
     * @param id the {@code id:}, or null when the event carried none
     * @param data the data lines joined
     */
    record Event(String name, String id, String data) {}

    private Sse() {}

    /**
     * Reads events from {@code lines} and hands each to {@code handler} until it answers false or the lines end.
     *
     * @return true when the handler stopped the reading, false when the stream ended first
     */
    static boolean read(Iterator<String> lines, Predicate<Event> handler) {
        String name = null;
        String id = null;
        StringBuilder data = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (data != null && !handler.test(new Event(name, id, data.toString()))) {
                    return true;
                }
                name = null;
                id = null;
                data = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> name = value;
                case "id" -> id = value;
                case "data" ->
                    data = data == null
                            ? new StringBuilder(value)
                            : data.append('\n').append(value);
                default -> {} // retry and unknown fields: nothing to do
            }
        }
        return false;
    }
}
