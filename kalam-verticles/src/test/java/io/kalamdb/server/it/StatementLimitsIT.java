package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.server.Futures;
import io.kalamdb.server.KalamServer;
import io.kalamdb.server.ServerConfig;
import io.vertx.core.json.JsonObject;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #7 through the real server: a heavy query (a three-way cross join of 3,000 rows) stops at the role's
 * statement timeout with 408 STATEMENT_TIMEOUT; one user's heavy queries cannot take every engine worker (the
 * excess gets 429) while another user is served; a query whose client hangs up is cancelled, giving its worker
 * and its in-flight slot back; and statements without a time limit do not hold up a shutdown.
 */
class StatementLimitsIT {
    private static final int ROWS = 3000;
    /** 27 billion joined rows: minutes of work, so only a timeout or a cancellation ends it in time. */
    private static final String HEAVY = "SELECT COUNT(*) FROM lim.big a, lim.big b, lim.big c WHERE a.v + b.v "
            + "+ c.v >= 0";
    private static final long USER_TIMEOUT_MS = 3000;

    private static KalamServer server;
    private static ApiClient api;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static String alice;
    private static String bob;
    private static String carol;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> values = new HashMap<>(SqlApiIT.config(Files.createTempDirectory("kalam-limits"))
                .values());
        values.put("server.engine_workers", "4"); // so 2 statements in flight per user
        values.put("execution.statement_timeout_ms_by_role.user", Long.toString(USER_TIMEOUT_MS));
        values.put("execution.statement_timeout_ms_by_role.service", "0"); // carol's statements never time out
        values.put("rate_limit.max_queries_per_sec", "0");
        server = Futures.await(KalamServer.start(ServerConfig.of(values)));
        api = new ApiClient(server.baseUrl());
        String root = api.login("root", SqlApiIT.ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE lim");
        api.ok(root, "CREATE TABLE lim.big (id INT PRIMARY KEY, v INT) WITH (TYPE='SHARED', ACCESS_LEVEL='public')");
        fill(api, root);
        api.ok(root, "CREATE USER 'alice' WITH PASSWORD 'AlicePass123!' ROLE user");
        api.ok(root, "CREATE USER 'bob' WITH PASSWORD 'BobPass123!' ROLE user");
        api.ok(root, "CREATE USER 'carol' WITH PASSWORD 'CarolPass123!' ROLE service");
        alice = api.login("alice", "AlicePass123!");
        bob = api.login("bob", "BobPass123!");
        carol = api.login("carol", "CarolPass123!");
    }

    /** {@value #ROWS} rows into lim.big. */
    private static void fill(ApiClient client, String token) {
        for (int from = 0; from < ROWS; from += 500) {
            StringBuilder insert = new StringBuilder("INSERT INTO lim.big (id, v) VALUES ");
            for (int i = from; i < from + 500; i++) {
                insert.append(i == from ? "" : ", ").append('(').append(i).append(", ").append(i % 7).append(')');
            }
            client.ok(token, insert.toString());
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(60)
    void aHeavyQueryStopsAtTheRoleTimeoutWith408() {
        long started = System.nanoTime();
        HttpResponse<String> r = sql(alice, HEAVY);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(408, r.statusCode(), r.body());
        JsonObject error = new JsonObject(r.body()).getJsonObject("error");
        assertEquals("STATEMENT_TIMEOUT", error.getString("code"), r.body());
        assertTrue(error.getString("message").contains("timeoutMs=" + USER_TIMEOUT_MS), r.body());
        assertTrue(tookMs >= USER_TIMEOUT_MS, "answered after " + tookMs + " ms, before the timeout");
        assertTrue(tookMs < USER_TIMEOUT_MS + 4000, "answered " + tookMs + " ms after the start: the timeout was "
                + "not enforced promptly");
        assertServerHealthy();
    }

    @Test
    @Timeout(60)
    void oneUsersHeavyQueriesLeaveWorkersForOthers() throws Exception {
        // alice asks for 4 heavy statements at once: 2 run (half of the 4 workers), 2 are refused at once
        List<CompletableFuture<HttpResponse<String>>> heavy = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            heavy.add(sqlAsync(alice, HEAVY));
        }
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>(heavy);
        List<HttpResponse<String>> refused = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CompletableFuture.anyOf(pending.toArray(CompletableFuture[]::new)).get();
            CompletableFuture<HttpResponse<String>> first = pending.stream().filter(CompletableFuture::isDone)
                    .findFirst().orElseThrow();
            pending.remove(first);
            refused.add(first.join());
        }
        for (HttpResponse<String> r : refused) {
            assertEquals(429, r.statusCode(), r.body());
            assertEquals("RATE_LIMIT_EXCEEDED", new JsonObject(r.body()).getJsonObject("error").getString("code"));
            assertNotNull(r.headers().firstValue("Retry-After").orElse(null), "Retry-After on " + r.body());
        }
        // while alice's two run, bob is served well before they time out
        long started = System.nanoTime();
        HttpResponse<String> bobs = sql(bob, "SELECT COUNT(*) FROM lim.big");
        long bobMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(200, bobs.statusCode(), bobs.body());
        assertEquals(String.valueOf(ROWS), new JsonObject(bobs.body()).getJsonArray("results").getJsonObject(0)
                .getJsonArray("rows").getJsonArray(0).getValue(0).toString());
        long runningCount = heavy.stream().filter(f -> !f.isDone()).count();
        assertEquals(2, runningCount, "bob was answered (" + bobMs + " ms) while alice's two statements still ran");
        for (CompletableFuture<HttpResponse<String>> f : heavy) {
            HttpResponse<String> r = f.get();
            assertTrue(r.statusCode() == 429 || r.statusCode() == 408, r.statusCode() + " " + r.body());
        }
        assertServerHealthy();
    }

    @Test
    @Timeout(60)
    void aQueryWhoseClientHangsUpIsCancelled() throws Exception {
        // carol (service) has no statement timeout: only a cancellation can end her heavy queries
        try (Socket first = sendRaw(carol, HEAVY); Socket second = sendRaw(carol, HEAVY)) {
            // both run: carol's two in-flight slots are taken, a third statement is refused
            awaitStatus(carol, 429, "carol's third statement is refused while two run");
            assertEquals(0, first.getInputStream().available(), "no answer yet to the first heavy query");
            first.close();
            // the first client hung up: its statement is cancelled, its slot frees and carol is served again
            awaitStatus(carol, 200, "carol's slot is given back after her client hung up");
            assertEquals(0, second.getInputStream().available(), "the second heavy query still runs");
        }
        awaitStatus(bob, 200, "the server answers after both clients hung up");
        assertServerHealthy();
    }

    @Test
    @Timeout(120)
    void shutdownIsNotHeldUpByAStatementWithoutTimeout() throws Exception {
        Map<String, String> values = new HashMap<>(SqlApiIT.config(Files.createTempDirectory("kalam-limits-stop"))
                .values());
        values.put("execution.statement_timeout_ms", "0");
        KalamServer own = Futures.await(KalamServer.start(ServerConfig.of(values)));
        ApiClient ownApi = new ApiClient(own.baseUrl());
        String root = ownApi.login("root", SqlApiIT.ROOT_PASSWORD);
        ownApi.ok(root, "CREATE NAMESPACE lim");
        ownApi.ok(root, "CREATE TABLE lim.big (id INT PRIMARY KEY, v INT) WITH (TYPE='SHARED')");
        fill(ownApi, root);
        // every slot of root's is taken by a heavy statement that, without a timeout, runs for minutes
        List<Socket> heavy = new ArrayList<>();
        try {
            for (int i = 0; i < own.config().maxStatementsInFlightPerUser(); i++) {
                heavy.add(sendRaw(own.baseUrl(), root, HEAVY));
            }
            try {
                awaitStatus(own.baseUrl(), root, 429, "root's statements all run");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; what the heavy statements were answered: "
                        + answers(heavy), e);
            }
            long started = System.nanoTime();
            own.close();
            long stopMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(stopMs < 30_000, "close took " + stopMs + " ms with statements running");
        } finally {
            for (Socket socket : heavy) {
                socket.close();
            }
        }
    }

    /** What each socket has received so far (a diagnostic for a failed precondition), waiting briefly for each. */
    private static List<String> answers(List<Socket> sockets) {
        List<String> out = new ArrayList<>();
        for (Socket socket : sockets) {
            try {
                socket.setSoTimeout(200);
                byte[] buf = new byte[512];
                int n = socket.getInputStream().read(buf);
                out.add(n < 0 ? "closed" : new String(buf, 0, n, StandardCharsets.UTF_8).replace("\r\n", " | "));
            } catch (java.net.SocketTimeoutException e) {
                out.add("no answer yet");
            } catch (java.io.IOException e) {
                out.add("failed: " + e);
            }
        }
        return out;
    }

    /** Sends a SQL request over a plain socket and leaves it open without reading the answer. */
    private static Socket sendRaw(String token, String sql) throws Exception {
        return sendRaw(server.baseUrl(), token, sql);
    }

    private static Socket sendRaw(String baseUrl, String token, String sql) throws Exception {
        URI uri = URI.create(baseUrl);
        byte[] body = new JsonObject().put("sql", sql).encode().getBytes(StandardCharsets.UTF_8);
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/api/sql HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return socket;
    }

    /** Sends {@code SELECT 1} as the user until the answer has the status (each try an ordinary request). */
    private static void awaitStatus(String token, int status, String what) throws InterruptedException {
        awaitStatus(server.baseUrl(), token, status, what);
    }

    private static void awaitStatus(String baseUrl, String token, int status, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L; // a loaded machine may take a while to start them
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = sqlAsync(baseUrl, token, "SELECT 1").join();
            if (last.statusCode() == status) {
                return;
            }
            Thread.sleep(20); // pacing between polls of a condition that is awaited, not a fixed wait
        }
        throw new AssertionError(what + ": last answer " + (last == null ? "none" : last.statusCode() + " "
                + last.body()));
    }

    private static void assertServerHealthy() {
        try {
            HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
        } catch (Exception e) {
            throw new AssertionError("health check failed", e);
        }
        api.ok(bob, "SELECT v FROM lim.big WHERE id = 42");
    }

    private static HttpResponse<String> sql(String token, String sql) {
        return sqlAsync(token, sql).join();
    }

    private static CompletableFuture<HttpResponse<String>> sqlAsync(String token, String sql) {
        return sqlAsync(server.baseUrl(), token, sql);
    }

    private static CompletableFuture<HttpResponse<String>> sqlAsync(String baseUrl, String token, String sql) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/api/sql"))
                .timeout(Duration.ofSeconds(50)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("sql", sql).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
