package io.campanile.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API key in the CLI: where it comes from, that every request carries it, what 401 and 403 print and exit with,
 * and {@code keys create|ls|revoke} against a fake gateway that checks keys as the real one does.
 */
class KeysCliTest {
    static final String ADMIN = "cmp_admin-key-for-the-cli-test-0000000000000";
    static final String PLAIN = "cmp_plain-key-for-the-cli-test-0000000000000";
    static final String KEY_ID = "6a1c9b1e-7d0e-4a55-9a3e-0d4f2f6b7c11";

    private HttpServer server;
    private String url;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<JsonNode> posted = new CopyOnWriteArrayList<>();

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
        String auth = x.getRequestHeaders().getFirst("Authorization");
        authorizations.add(String.valueOf(auth));
        String path = x.getRequestURI().getPath();
        String method = x.getRequestMethod();
        boolean admin = ("Bearer " + ADMIN).equals(auth);
        if (!admin && !("Bearer " + PLAIN).equals(auth)) {
            x.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            send(
                    x,
                    401,
                    "{\"title\": \"Unauthorized\", \"status\": 401, \"detail\": \"the API key is unknown or revoked\"}");
        } else if (path.startsWith("/v1/admin/") && !admin) {
            send(
                    x,
                    403,
                    "{\"title\": \"Forbidden\", \"status\": 403, \"detail\": \"this endpoint needs an admin key\"}");
        } else if (method.equals("POST") && path.equals("/v1/admin/keys")) {
            JsonNode body = Json.mapper().readTree(x.getRequestBody());
            posted.add(body);
            send(
                    x,
                    201,
                    "{\"id\": \"" + KEY_ID + "\", \"name\": \""
                            + body.path("name").asText() + "\", \"tenant\": \""
                            + body.path("tenant").asText("default") + "\", \"admin\": "
                            + body.path("admin").asBoolean()
                            + ", \"created_at\": \"2026-01-01T00:00:00Z\", \"revoked_at\": null, \"key\": \"cmp_NEW\"}");
        } else if (method.equals("GET") && path.equals("/v1/admin/keys")) {
            send(
                    x,
                    200,
                    "[{\"id\": \"" + KEY_ID + "\", \"name\": \"ci\", \"tenant\": \"team-a\", \"admin\": false,"
                            + " \"created_at\": \"2026-01-01T00:00:00Z\", \"revoked_at\": null}]");
        } else if (method.equals("DELETE") && path.equals("/v1/admin/keys/" + KEY_ID)) {
            send(
                    x,
                    200,
                    "{\"id\": \"" + KEY_ID + "\", \"name\": \"ci\", \"tenant\": \"team-a\", \"admin\": false,"
                            + " \"created_at\": \"2026-01-01T00:00:00Z\", \"revoked_at\": \"2026-01-02T00:00:00Z\"}");
        } else if (path.equals("/v1/jobs")) {
            send(x, 200, "{\"items\": [], \"next_cursor\": null}");
        } else {
            send(x, 404, "{\"title\": \"Not found\", \"status\": 404, \"detail\": \"no " + path + "\"}");
        }
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
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
    void createPrintsTheKeyOnceAndSendsTheAdminKey() {
        Result r = run("--gateway", url, "--key", ADMIN, "keys", "create", "ci", "--tenant", "team-a");
        assertEquals(0, r.code(), r.err());
        assertEquals("cmp_NEW\n", r.out());
        assertTrue(r.err().contains("tenant team-a") && r.err().contains("not shown again"), r.err());
        assertEquals(
                "{\"name\":\"ci\",\"admin\":false,\"tenant\":\"team-a\"}",
                posted.get(0).toString());
        assertEquals(List.of("Bearer " + ADMIN), authorizations);

        Result admin = run("keys", "create", "ops", "--admin", "--gateway", url, "--key", ADMIN);
        assertEquals(0, admin.code(), admin.err());
        assertTrue(posted.get(1).path("admin").asBoolean());
    }

    @Test
    void lsShowsTheKeysAndRevokeRevokesOne() {
        Result ls = run("--gateway", url, "--key", ADMIN, "keys", "ls");
        assertEquals(0, ls.code(), ls.err());
        assertTrue(ls.out().contains(KEY_ID) && ls.out().contains("team-a"), ls.out());
        Result revoke = run("--gateway", url, "--key", ADMIN, "keys", "revoke", KEY_ID);
        assertEquals(0, revoke.code(), revoke.err());
        assertTrue(revoke.out().contains("revoked at 2026-01-02T00:00:00Z"), revoke.out());
    }

    @Test
    void aRefusedKeyExitsWithFourAndSaysWhereTheKeyCameFrom() {
        Result r = run("--gateway", url, "--key", "cmp_wrong", "ls");
        assertEquals(CliException.UNAUTHORIZED, r.code());
        assertTrue(r.err().contains("401 Unauthorized: the API key is unknown or revoked"), r.err());
        assertTrue(r.err().contains("the key from --key was refused"), r.err());
    }

    @Test
    void aPlainKeyOnTheAdminEndpointExitsWithFour() {
        Result r = run("--gateway", url, "--key", PLAIN, "keys", "ls");
        assertEquals(CliException.UNAUTHORIZED, r.code());
        assertTrue(r.err().contains("403 Forbidden: this endpoint needs an admin key"), r.err());
        assertEquals(0, run("--gateway", url, "--key", PLAIN, "ls").code(), "the plain key lists jobs");
    }

    @Test
    void theKeyComesFromTheOptionThenTheEnvironmentThenTheFile(@TempDir Path dir) throws IOException {
        Path root = dir.resolve("root").resolve(ApiKeySource.FILE);
        Path cwd = dir.resolve("cwd").resolve(ApiKeySource.FILE);
        Files.createDirectories(root.getParent());
        Files.createDirectories(cwd.getParent());
        Files.writeString(root, "cmp_from-root\n");
        Files.writeString(cwd, "cmp_from-cwd\n");
        Map<String, String> env = Map.of("CAMPANILE_API_KEY", "cmp_from-env");
        assertEquals(
                "cmp_opt",
                ApiKeySource.resolve("cmp_opt", env, List.of(root, cwd)).value());
        assertEquals(
                "cmp_from-env",
                ApiKeySource.resolve(null, env, List.of(root, cwd)).value());
        ApiKeySource.Key fromFile = ApiKeySource.resolve(null, Map.of(), List.of(root, cwd));
        assertEquals("cmp_from-root", fromFile.value());
        assertEquals(root.toString(), fromFile.source());
        assertEquals(
                "cmp_from-cwd",
                ApiKeySource.resolve(null, Map.of(), List.of(dir.resolve("none"), cwd))
                        .value());
        assertNull(ApiKeySource.resolve(null, Map.of(), List.of(dir.resolve("none"))));
    }
}
