package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kalamdb.server.Futures;
import io.kalamdb.server.KalamServer;
import io.kalamdb.server.ServerConfig;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
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
 * WebSocket lifecycle (reference 3.2, 3.7) with small timeouts: the auth deadline, the heartbeat's idle close,
 * shutdown's 1001, and PROTOCOL deviation 1: a subscriber that stops reading gets {@code SUBSCRIBER_LAGGING}
 * with {@code resume_from}, resumes from there without a gap, while a normal reader on the same server keeps up.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebSocketLifecycleIT {
    static final String ROOT_PASSWORD = "RootPass123!";
    static final int MAX_PENDING = 32;

    private static KalamServer server;
    private static ApiClient api;
    private static String alice;
    /** Only the subscription-limit test subscribes as carol (other tests' unsubscribes are asynchronous). */
    private static String carol;
    private static String root;

    static Map<String, String> config(String dataDir) {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", "0");
        values.put("server.engine_workers", "8");
        values.put("storage.data_path", dataDir);
        values.put("auth.root_password", ROOT_PASSWORD);
        values.put("auth.bcrypt_cost", "4");
        values.put("websocket.auth_timeout_secs", "1");
        values.put("websocket.client_timeout_secs", "2");
        values.put("websocket.heartbeat_interval_secs", "1");
        values.put("websocket.max_pending_frames", Integer.toString(MAX_PENDING));
        return values;
    }

    @BeforeAll
    static void start() throws Exception {
        server = Futures.await(KalamServer.start(ServerConfig.of(config(
                Files.createTempDirectory("kalam-ws-life").toString()))));
        api = new ApiClient(server.baseUrl());
        root = api.login("root", ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE chat");
        api.ok(root, "CREATE TABLE chat.messages (id BIGINT DEFAULT SNOWFLAKE_ID() PRIMARY KEY, thread_id TEXT, "
                + "content TEXT) WITH (TYPE='USER')");
        api.ok(root, "CREATE USER 'alice' WITH PASSWORD 'AlicePass123!' ROLE user;");
        alice = api.login("alice", "AlicePass123!");
        api.ok(root, "CREATE USER 'carol' WITH PASSWORD 'CarolPass123!' ROLE user;");
        carol = api.login("carol", "CarolPass123!");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void noAuthenticationWithinTheDeadlineGetsAuthErrorAndClose1008() {
        try (WsClient ws = WsClient.connect(server.baseUrl(), "/v1/ws")) {
            JsonObject error = ws.next();
            assertEquals(new JsonObject().put("type", "auth_error")
                    .put("message", "Authentication timeout - no auth message received within 1 seconds"), error);
            assertEquals(1008, ws.awaitClose());
            assertEquals("Authentication timeout", ws.closeReason());
        }
    }

    @Test
    void idleClientsAreClosedAndPingingOnesKept() throws Exception {
        try (WsClient idle = WsClient.authenticated(server.baseUrl(), alice);
             WsClient pinging = WsClient.authenticated(server.baseUrl(), alice)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (!idle.isClosed() && System.nanoTime() < deadline) {
                pinging.ping();
                Thread.sleep(300); // the keepalive rhythm of a client, not a wait for a condition
            }
            assertEquals(1000, idle.awaitClose());
            assertEquals("Heartbeat timeout", idle.closeReason());
            for (int i = 0; i < 4; i++) { // beyond another client timeout: WS pings and app pings count
                if (i % 2 == 0) {
                    pinging.ping();
                } else {
                    pinging.send(new JsonObject().put("type", "ping"));
                }
                Thread.sleep(600);
            }
            assertTrue(!pinging.isClosed(), "a client that pings stays: " + pinging.closeReason());
        }
    }

    @Test
    void aSubscriberThatStopsReadingGetsSubscriberLaggingAndResumesWithoutAGap() throws Exception {
        String thread = "slow";
        String sql = "SELECT content FROM chat.messages WHERE thread_id = '" + thread + "'";
        String padding = "x".repeat(32 * 1024);
        try (RawWsClient slow = RawWsClient.connect(server.baseUrl(), "/v1/ws?compress=false", alice, 4096);
             WsClient normal = WsClient.authenticated(server.baseUrl(), alice)) {
            assertEquals("auth_success", slow.read(5000).getString("type"));
            slow.send(new JsonObject().put("type", "subscribe").put("subscription",
                    new JsonObject().put("id", "slow").put("sql", sql)));
            assertEquals("subscription_ack", slow.read(5000).getString("type"));
            assertEquals("initial_data_batch", slow.read(5000).getString("type"));
            normal.subscribeAndLoad("normal", sql, null);

            // the slow client reads nothing from here on; both clients keep sending keepalives (the heartbeat
            // counts frames from the client, and this server's client timeout is short)
            Thread keepalive = keepalive(slow, normal);
            List<String> written = new ArrayList<>();
            int statement = 0;
            while (!LiveQueryWebSocketIT.liveRowsOf(api, root, "slow").isEmpty()) {
                if (statement == 200) {
                    fail("the slow subscriber was never cut off after " + written.size() + " rows");
                }
                int first = statement * 10;
                api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES " + IntStream.range(first,
                        first + 10).mapToObj(i -> "('" + thread + "', 'r" + i + "-" + padding + "')")
                        .collect(Collectors.joining(", ")));
                IntStream.range(first, first + 10).forEach(i -> written.add("r" + i));
                statement++;
            }
            api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('" + thread + "', 'end')");
            written.add("end");

            // the normal reader on the same server got every row, in order
            List<String> normalSeen = new ArrayList<>();
            while (normalSeen.isEmpty() || !normalSeen.get(normalSeen.size() - 1).equals("end")) {
                normalSeen.add(label(WsClient.rows(normal.nextFor("normal"), "rows").get(0).getString("content")));
            }
            assertEquals(written, normalSeen);

            // the slow one now reads: the changes it was sent, in order, then the lagging error
            List<String> delivered = new ArrayList<>();
            long lastSeq = -1;
            JsonObject lagging;
            while (true) {
                JsonObject frame = slow.read(5000);
                assertNotNull(frame, "the lagging error must come after " + delivered.size() + " changes");
                if ("error".equals(frame.getString("type"))) {
                    lagging = frame;
                    break;
                }
                assertEquals("change", frame.getString("type"), frame.encode().substring(0, 100));
                JsonObject row = WsClient.rows(frame, "rows").get(0);
                delivered.add(label(row.getString("content")));
                lastSeq = Long.parseLong(row.getString("_seq"));
            }
            assertEquals("slow", lagging.getString("subscription_id"));
            assertEquals("SUBSCRIBER_LAGGING", lagging.getString("code"));
            assertNotNull(lagging.getString("message"));
            assertEquals(Long.toString(lastSeq), lagging.getString("resume_from"),
                    "resume_from is the _seq of the last change delivered");
            assertTrue(delivered.size() < written.size(), "it was cut off before the end");
            assertEquals(written.subList(0, delivered.size()), delivered, "what it got has no gap");
            assertNull(slow.read(300), "nothing after the last frame of the subscription");

            // resubscribing from resume_from delivers exactly the rest
            slow.send(new JsonObject().put("type", "subscribe").put("subscription", new JsonObject()
                    .put("id", "slow").put("sql", sql).put("options", new JsonObject()
                            .put("from", lagging.getString("resume_from")))));
            assertEquals("subscription_ack", slow.read(5000).getString("type"));
            List<String> rest = new ArrayList<>();
            while (true) {
                JsonObject batch = slow.read(5000);
                assertNotNull(batch);
                assertEquals("initial_data_batch", batch.getString("type"));
                WsClient.rows(batch, "rows").forEach(r -> rest.add(label(r.getString("content"))));
                JsonObject control = batch.getJsonObject("batch_control");
                if (!control.getBoolean("has_more")) {
                    break;
                }
                slow.send(new JsonObject().put("type", "next_batch").put("subscription_id", "slow")
                        .put("last_seq_id", control.getLong("last_seq_id")));
            }
            List<String> all = new ArrayList<>(delivered);
            all.addAll(rest);
            assertEquals(written, all, "delivered + resumed = every row once, in order");
            Set<String> distinct = new HashSet<>(all);
            assertEquals(all.size(), distinct.size());
            keepalive.interrupt();
            keepalive.join(5_000);
        }
    }

    /** Pings from both clients every 300 ms until interrupted. */
    static Thread keepalive(RawWsClient raw, WsClient ws) {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    raw.send(new JsonObject().put("type", "ping"));
                    ws.ping();
                    Thread.sleep(300); // the keepalive rhythm of a client
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // the socket closed: the test's own assertions report it
            }
        }, "keepalive");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void aUserHoldsAtMostTheConfiguredNumberOfSubscriptionsAcrossConnections() {
        String sql = "SELECT content FROM chat.messages WHERE thread_id = 'limit'";
        try (WsClient one = WsClient.authenticated(server.baseUrl(), carol);
             WsClient two = WsClient.authenticated(server.baseUrl(), carol)) {
            for (int i = 0; i < 10; i++) {
                (i % 2 == 0 ? one : two).subscribeAndLoad("l" + i, sql, null);
            }
            two.subscribe("l10", sql, null);
            JsonObject error = two.nextFor("l10");
            assertEquals("SUBSCRIPTION_LIMIT_EXCEEDED", error.getString("code"), error.encode());
            assertTrue(error.getString("message").startsWith("Maximum subscriptions reached"), error.encode());
            one.send(new JsonObject().put("type", "unsubscribe").put("subscription_id", "l0"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (true) { // the unsubscribe reaches the engine asynchronously
                two.subscribe("l10", sql, null);
                JsonObject reply = two.nextFor("l10");
                if ("subscription_ack".equals(reply.getString("type"))) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "room again after an unsubscribe: " + reply.encode());
            }
        }
    }

    @Test
    void shutdownClosesWebSocketsWith1001() throws Exception {
        KalamServer other = Futures.await(KalamServer.start(ServerConfig.of(config(
                Files.createTempDirectory("kalam-ws-shutdown").toString()))));
        try {
            ApiClient otherApi = new ApiClient(other.baseUrl());
            String otherRoot = otherApi.login("root", ROOT_PASSWORD);
            try (WsClient ws = WsClient.authenticated(other.baseUrl(), otherRoot)) {
                Thread closer = new Thread(other::close, "closer");
                closer.start();
                assertEquals(1001, ws.awaitClose());
                assertEquals("Server shutting down", ws.closeReason());
                closer.join(30_000);
            }
        } finally {
            other.close();
        }
    }

    /** The row label before the padding. */
    static String label(String content) {
        int dash = content.indexOf('-');
        return dash < 0 ? content : content.substring(0, dash);
    }
}
