package io.campanile.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.campanile.contracts.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a fake gateway that answers as the real one does (the system tests run it against the real one). */
class JobCliTest {
    private static final String VIEW = "{\"id\": \"%s\", \"type\": \"forward\", \"status\": \"%s\", \"error\": %s,"
            + " \"outputs\": [{\"image_id\": \"i1\", \"role\": \"noisy t=250\", \"url\": \"/v1/images/i1\"}],"
            + " \"files\": [{\"name\": \"losses.csv\", \"url\": \"/v1/jobs/%1$s/files/losses.csv\"}],"
            + " \"progress\": null, \"warnings\": []}";
    private HttpServer server;
    private final List<JsonNode> posted = new CopyOnWriteArrayList<>();
    private String url;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String query = x.getRequestURI().getQuery();
        String method = x.getRequestMethod();
        if (path.equals("/v1/job-types/forward")) {
            send(x, 200, "{\"type\": \"forward\", \"fields\": [{\"name\": \"t\", \"kind\": \"int_list\"}]}");
        } else if (path.startsWith("/v1/job-types/")) {
            send(x, 404, "{\"title\": \"Not found\", \"status\": 404, \"detail\": \"no job type 'nope'\"}");
        } else if (method.equals("POST") && path.equals("/v1/jobs")) {
            JsonNode body = Json.mapper().readTree(x.getRequestBody());
            posted.add(body);
            if (body.has("colour")) {
                send(
                        x,
                        400,
                        "{\"title\": \"Invalid request\", \"status\": 400, \"field\": \"colour\","
                                + " \"detail\": \"unknown field 'colour'\"}");
            } else {
                send(x, 202, view("j1", "QUEUED", null));
            }
        } else if (path.equals("/v1/jobs/j1/events")) {
            sse(
                    x,
                    "data:" + view("j1", "QUEUED", null) + "\n\n"
                            + "event: progress\nid: 2\ndata: {\"stage\": \"sample\", \"step\": 3, \"total\": 6}\n\n"
                            + "event: status\nid: 3\ndata: " + view("j1", "SUCCEEDED", null) + "\n\n");
        } else if (path.equals("/v1/jobs/j2/events")) {
            sse(x, "event: status\nid: 1\ndata: " + view("j2", "FAILED", "\"out of memory\"") + "\n\n");
        } else if (method.equals("DELETE") && path.equals("/v1/jobs/j1")) {
            x.sendResponseHeaders(204, -1);
            x.close();
        } else if (method.equals("DELETE") && path.equals("/v1/jobs/j3")) {
            send(
                    x,
                    409,
                    "{\"title\": \"Conflict\", \"status\": 409, \"field\": \"status\","
                            + " \"detail\": \"job j3 is RUNNING: cancel it first, and delete it once it stopped\"}");
        } else if (path.equals("/v1/jobs/j1")) {
            send(x, 200, view("j1", "SUCCEEDED", null));
        } else if (path.equals("/v1/images/i1")) {
            send(x, 200, "format=npy".equals(query) ? "NPY" : "PNG");
        } else if (path.equals("/v1/jobs/j1/files/losses.csv")) {
            send(x, 200, "epoch,loss");
        } else {
            send(x, 404, "{\"title\": \"Not found\", \"status\": 404, \"detail\": \"no job " + path + "\"}");
        }
    }

    private static String view(String id, String status, String error) {
        return String.format(VIEW, id, status, error).replace("\n", " ");
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    private static void sse(HttpExchange x, String events) throws IOException {
        x.getResponseHeaders().set("Content-Type", "text/event-stream");
        x.sendResponseHeaders(200, 0);
        x.getResponseBody().write(events.getBytes(StandardCharsets.UTF_8));
        x.close();
    }

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = JobCli.run(args, new PrintStream(out, true), new PrintStream(err, true), false);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void submitWaitTypesTheFieldsFollowsTheStreamAndSucceeds() {
        Result r = run("submit", "--gateway", url, "forward", "t=250,500", "seed=5", "--wait");
        assertEquals(0, r.code(), r.err());
        assertEquals("j1\n", r.out());
        assertEquals(
                "{\"type\":\"forward\",\"t\":[250,500],\"seed\":5}",
                posted.get(0).toString());
        assertTrue(r.err().contains("job j1 QUEUED"), r.err());
        assertTrue(r.err().contains("sample [###############---------------] 3/6  50%"), r.err());
        assertTrue(r.err().contains("job j1 SUCCEEDED: 1 output, 1 file"), r.err());
    }

    @Test
    void rmDeletesAFinishedJobAndPrintsTheConflictForARunningOne() {
        Result r = run("--gateway", url, "rm", "j1");
        assertEquals(0, r.code(), r.err());
        assertEquals("j1 deleted\n", r.out());
        Result running = run("--gateway", url, "rm", "j3");
        assertEquals(2, running.code());
        assertTrue(running.err().contains("cancel it first"), running.err());
    }

    @Test
    void theGatewayComesFromEitherSideOfTheSubcommand() {
        assertEquals(0, run("--gateway", url, "watch", "j1").code());
        assertEquals(0, run("watch", "j1", "--gateway", url).code());
    }

    @Test
    void aFailedJobExitsWithOneAndItsError() {
        Result r = run("--gateway", url, "watch", "j2");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("job j2 FAILED: out of memory"), r.err());
    }

    @Test
    void aRefusedFieldExitsWithTwoAndTheProblem() {
        Result r = run("--gateway", url, "submit", "forward", "colour=red");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("400 Invalid request: unknown field 'colour' (field 'colour')"), r.err());
        Result bad = run("--gateway", url, "submit", "forward", "t=soon");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("'t'"), bad.err());
        assertEquals(2, run("--gateway", url, "submit", "nope").code());
        assertEquals(2, run("--gateway", url, "frobnicate").code());
    }

    @Test
    void getWritesEachOutputAsPngAndNpyByRoleAndTheFiles(@TempDir Path dir) throws IOException {
        Result r = run("--gateway", url, "get", "j1", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertArrayEquals("PNG".getBytes(), Files.readAllBytes(dir.resolve("noisy_t-250.png")));
        assertArrayEquals("NPY".getBytes(), Files.readAllBytes(dir.resolve("noisy_t-250.npy")));
        assertEquals("epoch,loss", Files.readString(dir.resolve("losses.csv")));
        assertTrue(Files.readString(dir.resolve("job.json")).contains("SUCCEEDED"));
    }

    @Test
    void anUnreachableGatewayExitsWithThree() throws IOException {
        server.stop(0);
        Result r = run("--gateway", url, "ls");
        assertEquals(3, r.code());
        assertTrue(r.err().contains("cannot reach the gateway"), r.err());
    }
}
