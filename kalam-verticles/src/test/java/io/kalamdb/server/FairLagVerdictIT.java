package io.kalamdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.server.it.ApiClient;
import io.kalamdb.server.it.TestServers;
import io.kalamdb.server.it.WsClient;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, "fair lag verdicts": a subscriber that reads continuously is not cut off as lagging when the server's
 * own event loops fall behind; the verdict counts only frames the client has not drained. The event loops are held
 * busy by the test while changes are written straight through the engine, as a saturated server would be; a ceiling
 * on frames in flight still bounds memory.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FairLagVerdictIT {
    private static final String ROOT_PASSWORD = TestServers.ROOT_PASSWORD;
    private static final int MAX_PENDING = 32;
    private static final Session ROOT = new Session("root", Role.SYSTEM);
    private static KalamServer server;
    private static String root;

    @BeforeAll
    static void start() throws Exception {
        server = Futures.await(KalamServer.start(TestServers.config(Files.createTempDirectory("kalam-fair-lag"),
                Map.of("server.engine_workers", "4", "rate_limit.max_queries_per_sec", "0",
                        "websocket.max_pending_frames", Integer.toString(MAX_PENDING)))));
        ApiClient api = new ApiClient(server.baseUrl());
        root = api.login("root", ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE app");
        api.ok(root, "CREATE TABLE app.events (id INT PRIMARY KEY, v TEXT) WITH (TYPE='SHARED')");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Runs {@code writes} while every event loop of the server is held busy, then lets them go. */
    private static void whileEventLoopsAreBusy(Runnable writes) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        VertxInternal vertx = (VertxInternal) server.vertx();
        int loops = 4 * Runtime.getRuntime().availableProcessors(); // round robin: covers every event loop
        CountDownLatch held = new CountDownLatch(loops);
        for (int i = 0; i < loops; i++) {
            vertx.createEventLoopContext().runOnContext(v -> {
                held.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        try {
            writes.run();
        } finally {
            release.countDown();
        }
    }

    private static void insert(int from, int to) {
        for (int i = from; i < to; i++) {
            server.engine().execute(ROOT, "INSERT INTO app.events (id, v) VALUES (" + i + ", 'e" + i + "')",
                    List.of(), "default");
        }
    }

    private static List<Integer> readChanges(WsClient ws, String id, int n) {
        List<Integer> ids = new ArrayList<>();
        while (ids.size() < n) {
            JsonObject frame = ws.nextFor(id);
            assertEquals("change", frame.getString("type"), frame.encode());
            WsClient.rows(frame, "rows").forEach(r -> ids.add(r.getInteger("id")));
        }
        return ids;
    }

    @Test
    void aReaderIsNotCutOffWhenTheServerFallsBehind() throws Exception {
        int n = 3 * MAX_PENDING;
        try (WsClient ws = WsClient.authenticated(server.baseUrl(), root)) {
            ws.subscribeAndLoad("fair", "SELECT id FROM app.events WHERE id >= 1000 AND id < 2000", null);
            whileEventLoopsAreBusy(() -> insert(1000, 1000 + n));
            assertEquals(IntStream.range(1000, 1000 + n).boxed().toList(), readChanges(ws, "fair", n),
                    "every change, in order, and no SUBSCRIBER_LAGGING");
            assertTrue(ws.poll(f -> "fair".equals(f.getString("subscription_id")), 300) == null,
                    "nothing else for the subscription");
        }
    }

    @Test
    void framesInFlightStillHaveACeiling() throws Exception {
        int n = 6 * MAX_PENDING;
        try (WsClient ws = WsClient.authenticated(server.baseUrl(), root)) {
            ws.subscribeAndLoad("ceiling", "SELECT id FROM app.events WHERE id >= 5000", null);
            whileEventLoopsAreBusy(() -> insert(5000, 5000 + n));
            List<Integer> delivered = new ArrayList<>();
            JsonObject frame;
            while ("change".equals((frame = ws.nextFor("ceiling")).getString("type"))) {
                WsClient.rows(frame, "rows").forEach(r -> delivered.add(r.getInteger("id")));
            }
            assertEquals("SUBSCRIBER_LAGGING", frame.getString("code"), frame.encode());
            assertTrue(delivered.size() < n, "cut off past the ceiling: " + delivered.size());
            assertEquals(IntStream.range(5000, 5000 + delivered.size()).boxed().toList(), delivered, "no gap");
        }
    }
}
