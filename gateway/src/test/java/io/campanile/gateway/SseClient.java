package io.campanile.gateway;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal Server-Sent Events client for tests: reads a stream on its own thread into a queue of events; closing it
 * closes the connection, as a browser leaving the page does.
 */
final class SseClient implements AutoCloseable {
    /** One event as received: its id, name and data (the data lines joined). */
    record Event(String id, String name, String data) {}

    /** An answer that was not a stream: its status and body. */
    record Refused(int status, String contentType, String body) {}

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Socket socket;
    private final InputStream body;
    private final Thread reader;
    private volatile boolean ended;

    private SseClient(Socket socket, InputStream body) {
        this.socket = socket;
        this.body = body;
        this.reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Opens the stream at {@code url} over a plain socket (HTTP/1.1, chunked), so that closing it closes the
     * connection at once; a refusal (not 200) is thrown as {@link RefusedException}.
     */
    static SseClient open(String url, String lastEventId) throws Exception {
        return open(url, lastEventId, TestKeys.ADMIN);
    }

    /** As {@link #open(String, String)}, with {@code key} as the Bearer API key (none when null). */
    static SseClient open(String url, String lastEventId, String key) throws Exception {
        URI uri = URI.create(url);
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(60_000);
        String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAccept: text/event-stream\r\n"
                + (key == null ? "" : "Authorization: Bearer " + key + "\r\n")
                + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n") + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        int status = Integer.parseInt(line(in).split(" ")[1]);
        Map<String, String> headers = new HashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(
                    h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    h.substring(colon + 1).trim());
        }
        InputStream content = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? new Chunked(in) : in;
        if (status != 200) {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "-1"));
            String text = length >= 0
                    ? new String(content.readNBytes(length), StandardCharsets.UTF_8)
                    : new String(content.readAllBytes(), StandardCharsets.UTF_8);
            socket.close();
            throw new RefusedException(new Refused(status, headers.getOrDefault("content-type", ""), text));
        }
        return new SseClient(socket, content);
    }

    /** One CRLF-terminated line of the response head. */
    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /** A chunked body, decoded. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private int left;
        private boolean last;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (!next()) {
                return -1;
            }
            left--;
            return in.read();
        }

        /** Returns what has arrived of the current chunk, without waiting for more (events are small chunks). */
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (!next()) {
                return -1;
            }
            int n = in.read(b, off, Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        /** Moves to the next chunk when this one is read; false at the end of the body. */
        private boolean next() throws IOException {
            if (left > 0) {
                return true;
            }
            if (last) {
                return false;
            }
            String size = line(in);
            if (size.isEmpty()) {
                size = line(in); // the CRLF after the previous chunk
            }
            left = Integer.parseInt(size.split(";")[0].trim(), 16);
            last = left == 0;
            return !last;
        }
    }

    /** A stream the gateway refused. */
    static final class RefusedException extends Exception {
        final Refused refused;

        RefusedException(Refused refused) {
            super("refused: " + refused);
            this.refused = refused;
        }
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data.length() > 0 || name != null) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
        } catch (IOException e) {
            // closed by the test
        } finally {
            ended = true;
        }
    }

    /** The next event, waiting at most {@code max}; fails when none comes. */
    Event next(Duration max) throws InterruptedException {
        Event e = events.poll(max.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + max + (ended ? " (the stream ended)" : ""));
        }
        return e;
    }

    /** Events up to and including the first named {@code name}, waiting at most {@code max} for each. */
    List<Event> until(String name, Duration max) throws InterruptedException {
        List<Event> out = new ArrayList<>();
        Event e;
        do {
            e = next(max);
            out.add(e);
        } while (!name.equals(e.name()));
        return out;
    }

    /** Every event until the server ends the stream, waiting at most {@code max} in all. */
    List<Event> untilEnd(Duration max) throws InterruptedException {
        reader.join(max.toMillis());
        if (!ended) {
            throw new AssertionError("the stream did not end within " + max + "; so far " + events);
        }
        List<Event> out = new ArrayList<>();
        events.drainTo(out);
        return out;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
