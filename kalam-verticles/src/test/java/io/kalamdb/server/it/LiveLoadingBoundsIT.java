package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kalamdb.server.Futures;
import io.kalamdb.server.KalamServer;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13 over a real WebSocket: a client that reads every frame but never asks for {@code next_batch} while
 * writes flood the table is ended with {@code SUBSCRIBER_LAGGING} and a {@code resume_from} (the engine's
 * initial-load buffer is bounded by {@code live.max_initial_buffered_changes}); resuming from there misses nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveLoadingBoundsIT {
    private static final String ROOT_PASSWORD = TestServers.ROOT_PASSWORD;
    private static final int MAX_BUFFERED = 100;
    private static KalamServer server;
    private static ApiClient api;
    private static String root;
    private static String alice;

    @BeforeAll
    static void start() throws Exception {
        server = Futures.await(KalamServer.start(TestServers.config(Files.createTempDirectory("kalam-live-bounds"),
                Map.of("server.engine_workers", "4", "rate_limit.max_queries_per_sec", "0",
                        "live.max_initial_buffered_changes", Integer.toString(MAX_BUFFERED)))));
        api = new ApiClient(server.baseUrl());
        root = api.login("root", ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE chat");
        api.ok(root, "CREATE TABLE chat.messages (id INT PRIMARY KEY, content TEXT) WITH (TYPE='USER')");
        api.ok(root, "CREATE USER 'alice' WITH PASSWORD 'AlicePass123!' ROLE user;");
        alice = api.login("alice", "AlicePass123!");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void insert(int from, int to) {
        api.ok(alice, "INSERT INTO chat.messages (id, content) VALUES " + IntStream.range(from, to)
                .mapToObj(i -> "(" + i + ", 'm" + i + "')").collect(Collectors.joining(", ")));
    }

    @Test
    void aSubscriberThatNeverAsksForTheNextBatchIsEndedLaggingAndResumesWithoutAGap() {
        insert(0, 30);
        String sql = "SELECT id FROM chat.messages";
        try (WsClient ws = WsClient.authenticated(server.baseUrl(), alice)) {
            ws.subscribe("s", sql, WsClient.options("batch_size", 10));
            assertEquals("subscription_ack", ws.nextFor("s").getString("type"));
            JsonObject first = ws.nextFor("s");
            assertEquals("initial_data_batch", first.getString("type"), first.encode());
            assertTrue(first.getJsonObject("batch_control").getBoolean("has_more"));
            long firstLast = first.getJsonObject("batch_control").getLong("last_seq_id");
            List<Integer> ids = new ArrayList<>();
            WsClient.rows(first, "rows").forEach(r -> ids.add(r.getInteger("id")));

            int written = 30;
            while (!LiveQueryWebSocketIT.liveRowsOf(api, root, "s").isEmpty()) {
                if (written > 30 + 50 * MAX_BUFFERED) {
                    fail("the loading subscriber was never ended after " + written + " rows");
                }
                insert(written, written + 50);
                written += 50;
            }
            JsonObject lagging = ws.nextFor("s");
            assertEquals("error", lagging.getString("type"), lagging.encode());
            assertEquals("SUBSCRIBER_LAGGING", lagging.getString("code"), lagging.encode());
            assertTrue(lagging.getString("message").contains(Integer.toString(MAX_BUFFERED)), lagging.encode());
            assertEquals(Long.toString(firstLast), lagging.getString("resume_from"),
                    "resume after the last initial row sent");
            assertNull(ws.poll(f -> "s".equals(f.getString("subscription_id")), 300),
                    "nothing after the lagging error");

            ws.subscribe("s", sql, WsClient.options("batch_size", 1000, "from", lagging.getString("resume_from")));
            assertEquals("subscription_ack", ws.nextFor("s").getString("type"));
            while (true) {
                JsonObject batch = ws.nextFor("s");
                assertEquals("initial_data_batch", batch.getString("type"), batch.encode());
                WsClient.rows(batch, "rows").forEach(r -> ids.add(r.getInteger("id")));
                JsonObject control = batch.getJsonObject("batch_control");
                if (!control.getBoolean("has_more")) {
                    break;
                }
                ws.send(new JsonObject().put("type", "next_batch").put("subscription_id", "s")
                        .put("last_seq_id", control.getLong("last_seq_id")));
            }
            Set<Integer> distinct = new HashSet<>(ids);
            assertEquals(ids.size(), distinct.size(), "no row twice");
            assertEquals(IntStream.range(0, written).boxed().collect(Collectors.toSet()), distinct, "no row missed");
        }
    }
}
