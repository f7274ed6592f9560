package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kalamdb.server.Futures;
import io.kalamdb.server.KalamServer;
import io.kalamdb.server.ServerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Live queries over WebSocket (reference section 3) against the real server in-process on port 0: the issue's
 * chat scenario with {@code last_rows}, exactly-once delivery in commit order, per-user isolation, EXECUTE AS
 * USER, resume with {@code from}, a subscribe/write race, paging, projections, filters, every kind of bad input,
 * gzip, {@code system.live} and KILL LIVE QUERY.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LiveQueryWebSocketIT {
    static final String ROOT_PASSWORD = "RootPass123!";
    static final String MESSAGES = "chat.messages";
    /** After the last expected frame, how long we watch for unexpected ones. */
    static final long QUIET_MS = 300;

    private static KalamServer server;
    private static ApiClient api;
    private static String root;
    private static String alice;
    private static String bob;
    private static String bot;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", "0");
        values.put("server.engine_workers", "8");
        values.put("storage.data_path", Files.createTempDirectory("kalam-ws").toString());
        values.put("auth.root_password", ROOT_PASSWORD);
        values.put("auth.bcrypt_cost", "4");
        values.put("rate_limit.max_subscriptions_per_user", "1000");
        server = Futures.await(KalamServer.start(ServerConfig.of(values)));
        api = new ApiClient(server.baseUrl());
        root = api.login("root", ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE chat");
        api.ok(root, """
                CREATE TABLE chat.messages (
                  id         BIGINT DEFAULT SNOWFLAKE_ID() PRIMARY KEY,
                  thread_id  TEXT,
                  role       TEXT,
                  content    TEXT,
                  created_at TIMESTAMP
                ) WITH (TYPE='USER');""");
        api.ok(root, "CREATE TABLE chat.tasks (id BIGINT PRIMARY KEY, owner TEXT, title TEXT) "
                + "WITH (TYPE='SHARED', ACCESS_LEVEL='PUBLIC')");
        api.ok(root, "CREATE TABLE chat.secrets (id BIGINT PRIMARY KEY, note TEXT) WITH (TYPE='SHARED')");
        api.ok(root, "CREATE USER 'alice' WITH PASSWORD 'AlicePass123!' ROLE user;");
        api.ok(root, "CREATE USER 'bob' WITH PASSWORD 'BobPass123!' ROLE user;");
        api.ok(root, "CREATE USER 'service_bot' WITH PASSWORD 'BotPass123!' ROLE service;");
        alice = api.login("alice", "AlicePass123!");
        bob = api.login("bob", "BobPass123!");
        bot = api.login("service_bot", "BotPass123!");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String url() {
        return server.baseUrl();
    }

    // ---------- the scenario ----------

    @Test
    void newestTwentyRowsThenEveryChangeExactlyOnceInCommitOrder() {
        String thread = "thread_42";
        api.ok(alice, insertMany(thread, "m", 30));
        api.ok(alice, "INSERT INTO chat.messages (thread_id, role, content) VALUES ('other', 'user', 'elsewhere')");
        api.ok(bob, "INSERT INTO chat.messages (thread_id, role, content) VALUES ('thread_42', 'user', 'bobs')");

        try (WsClient ws = WsClient.authenticated(url(), alice)) {
            ws.subscribe("chat", "SELECT * FROM chat.messages WHERE thread_id = 'thread_42'",
                    WsClient.options("last_rows", 20));
            JsonObject ack = ws.nextFor("chat");
            assertEquals("subscription_ack", ack.getString("type"), ack.encode());
            assertEquals(20, ack.getInteger("total_rows"), "the rows of the one initial batch");
            JsonObject ackControl = ack.getJsonObject("batch_control");
            assertEquals(0, ackControl.getInteger("batch_num"));
            assertEquals(false, ackControl.getBoolean("has_more"));
            assertEquals("ready", ackControl.getString("status"));
            JsonArray schema = ack.getJsonArray("schema");
            assertEquals(List.of("id", "thread_id", "role", "content", "created_at", "_seq", "_deleted"),
                    schema.stream().map(c -> ((JsonObject) c).getString("name")).toList());
            assertEquals(new JsonObject().put("name", "id").put("data_type", "BigInt").put("index", 0)
                    .put("flags", new JsonArray().add("pk").add("nn").add("uq")), schema.getJsonObject(0));

            JsonObject batch = ws.nextFor("chat");
            assertEquals("initial_data_batch", batch.getString("type"), batch.encode());
            List<JsonObject> rows = WsClient.rows(batch, "rows");
            assertEquals(IntStream.range(10, 30).mapToObj(i -> "m" + i).toList(), contents(rows),
                    "the newest 20 of alice's own rows of the thread, ascending");
            assertAscendingSeqs(rows);
            JsonObject first = rows.get(0);
            assertInstanceOf(String.class, first.getValue("id"), "BIGINT is a JSON string");
            assertInstanceOf(String.class, first.getValue("_seq"), "_seq is a JSON string");
            assertEquals(false, first.getBoolean("_deleted"));
            assertEquals("thread_42", first.getString("thread_id"));
            JsonObject control = batch.getJsonObject("batch_control");
            assertEquals("ready", control.getString("status"));
            assertInstanceOf(Number.class, control.getValue("last_seq_id"), "last_seq_id is a JSON number");
            long lastSeq = Long.parseLong(rows.get(19).getString("_seq"));
            assertEquals(lastSeq, control.getLong("last_seq_id"));
            assertEquals(ackControl.getLong("last_seq_id"), control.getLong("last_seq_id"));

            api.ok(alice, "INSERT INTO chat.messages (thread_id, role, content, created_at) "
                    + "VALUES ('thread_42', 'user', 'live1', NOW())");
            JsonObject insert = ws.nextFor("chat");
            assertEquals("change", insert.getString("type"));
            assertEquals("insert", insert.getString("change_type"));
            JsonObject inserted = WsClient.rows(insert, "rows").get(0);
            assertEquals("live1", inserted.getString("content"));
            assertTrue(inserted.getLong("created_at") > 1_600_000_000_000_000L, "TIMESTAMP is integer µs");
            assertNull(insert.getValue("old_values"));
            long insertSeq = Long.parseLong(inserted.getString("_seq"));
            assertTrue(insertSeq > lastSeq);

            api.ok(alice, "UPDATE chat.messages SET content = 'edited' WHERE content = 'm29'");
            JsonObject update = ws.nextFor("chat");
            assertEquals("update", update.getString("change_type"), update.encode());
            JsonObject now = WsClient.rows(update, "rows").get(0);
            JsonObject before = WsClient.rows(update, "old_values").get(0);
            assertEquals("edited", now.getString("content"));
            assertEquals("thread_42", now.getString("thread_id"), "rows carry the non-null columns");
            assertEquals("m29", before.getString("content"));
            assertFalse(before.containsKey("thread_id"), "old_values carry only the changed columns");
            assertEquals(now.getString("id"), before.getString("id"), "and the primary key");
            assertTrue(Long.parseLong(now.getString("_seq")) > insertSeq);

            api.ok(alice, "DELETE FROM chat.messages WHERE content = 'm28'");
            JsonObject delete = ws.nextFor("chat");
            assertEquals("delete", delete.getString("change_type"), delete.encode());
            assertNull(delete.getValue("rows"));
            assertEquals("m28", WsClient.rows(delete, "old_values").get(0).getString("content"));

            // other users' rows and other threads never show; a multi-row INSERT is one change per row, in order
            api.ok(bob, "INSERT INTO chat.messages (thread_id, content) VALUES ('thread_42', 'bob again')");
            api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('elsewhere', 'not this one')");
            api.ok(alice, insertMany(thread, "tail", 5));
            List<String> tail = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                JsonObject change = ws.nextFor("chat");
                assertEquals("insert", change.getString("change_type"), change.encode());
                tail.add(WsClient.rows(change, "rows").get(0).getString("content"));
            }
            assertEquals(List.of("tail0", "tail1", "tail2", "tail3", "tail4"), tail);
            assertNull(ws.poll(QUIET_MS), "nothing else, nothing twice");
        }
    }

    @Test
    void twoUsersOnOneThreadEachSeeOnlyTheirOwnRows() {
        try (WsClient a = WsClient.authenticated(url(), alice); WsClient b = WsClient.authenticated(url(), bob)) {
            String sql = "SELECT content FROM chat.messages WHERE thread_id = 'shared-thread'";
            assertEquals(List.of(), a.subscribeAndLoad("t", sql, null));
            assertEquals(List.of(), b.subscribeAndLoad("t", sql, null));
            api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('shared-thread', 'from alice')");
            api.ok(bob, "INSERT INTO chat.messages (thread_id, content) VALUES ('shared-thread', 'from bob')");
            assertEquals("from alice", WsClient.rows(a.nextFor("t"), "rows").get(0).getString("content"));
            assertEquals("from bob", WsClient.rows(b.nextFor("t"), "rows").get(0).getString("content"));
            assertNull(a.poll(QUIET_MS));
            assertNull(b.poll(QUIET_MS));
        }
    }

    @Test
    void anAgentsExecuteAsUserInsertReachesTheUsersSubscription() {
        try (WsClient ws = WsClient.authenticated(url(), alice)) {
            ws.subscribeAndLoad("agent", "SELECT role, content FROM chat.messages WHERE thread_id = 'agent-thread'",
                    null);
            api.ok(bot, """
                    EXECUTE AS USER 'alice' (
                      INSERT INTO chat.messages (thread_id, role, content) VALUES ('agent-thread', 'assistant', 'Done.')
                    );""");
            JsonObject change = ws.nextFor("agent");
            JsonObject row = WsClient.rows(change, "rows").get(0);
            assertEquals("assistant", row.getString("role"));
            assertEquals("Done.", row.getString("content"));
        }
    }

    @Test
    void reconnectWithFromDeliversWhatWasMissedWithoutGapOrDuplicate() {
        String sql = "SELECT content FROM chat.messages WHERE thread_id = 'resume'";
        long lastSeen;
        try (WsClient ws = WsClient.authenticated(url(), alice)) {
            ws.subscribeAndLoad("r", sql, null);
            api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('resume', 'A')");
            JsonObject a = WsClient.rows(ws.nextFor("r"), "rows").get(0);
            assertEquals("A", a.getString("content"));
            lastSeen = Long.parseLong(a.getString("_seq"));
        }
        // while disconnected
        api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('resume', 'B')");
        api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('resume', 'C')");
        api.ok(alice, "UPDATE chat.messages SET content = 'A2' WHERE content = 'A'");

        try (WsClient ws = WsClient.authenticated(url(), alice)) {
            List<JsonObject> missed = ws.subscribeAndLoad("r", sql, WsClient.options("from", lastSeen));
            assertEquals(List.of("B", "C", "A2"), contents(missed), "rows changed after from, in _seq order");
            assertAscendingSeqs(missed);
            assertTrue(missed.stream().allMatch(r -> Long.parseLong(r.getString("_seq")) > lastSeen));
            api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('resume', 'D')");
            assertEquals("D", WsClient.rows(ws.nextFor("r"), "rows").get(0).getString("content"));
            assertNull(ws.poll(QUIET_MS));

            // the alias from_seq_id, given as a string, means the same
            List<JsonObject> again = ws.subscribeAndLoad("r2", sql,
                    WsClient.options("from_seq_id", Long.toString(lastSeen)));
            assertEquals(List.of("B", "C", "A2", "D"), contents(again));
        }
    }

    @Test
    void subscriptionsSetUpWhileRowsAreWrittenSeeEveryRowExactlyOnce() throws Exception {
        String thread = "race";
        List<String> written = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicReference<String> writeFailure = new java.util.concurrent.atomic.AtomicReference<>();
        ApiClient writerApi = new ApiClient(url());
        Thread writer = new Thread(() -> {
            for (int i = 0; writing.get(); i++) {
                ApiClient.Reply r = writerApi.sql(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('"
                        + thread + "', 'w" + i + "')");
                if (r.status() != 200) {
                    writeFailure.set(r.body());
                    return;
                }
                written.add("w" + i);
            }
        }, "race-writer");
        writer.start();
        List<WsClient> clients = new ArrayList<>();
        int subscriptions = 50;
        int perConnection = 10;
        try {
            await(() -> written.size() >= 20, "the writer is writing");
            String sql = "SELECT content FROM chat.messages WHERE thread_id = '" + thread + "'";
            for (int c = 0; c < subscriptions / perConnection; c++) {
                WsClient ws = WsClient.authenticated(url(), alice);
                clients.add(ws);
                for (int s = 0; s < perConnection; s++) {
                    ws.subscribe("s" + s, sql, null);
                }
            }
            int before = written.size();
            await(() -> written.size() >= before + 50, "writes continue after the subscriptions are set up");
        } finally {
            writing.set(false);
            writer.join(10_000);
        }
        assertNull(writeFailure.get());
        api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('" + thread + "', 'end')");
        Set<String> expected = new HashSet<>(written);
        expected.add("end");
        for (WsClient ws : clients) {
            for (int s = 0; s < perConnection; s++) {
                List<String> seen = collectUntil(ws, "s" + s, "end");
                Set<String> distinct = new HashSet<>(seen);
                assertEquals(seen.size(), distinct.size(), "no row twice: " + duplicates(seen));
                assertEquals(expected, distinct, "every row, once");
            }
            ws.close();
        }
    }

    /**
     * Issue #9: {@code total_rows} of the ack is the number of rows that follow (it was always 0), also for
     * subscriptions sent in the same write as {@code authenticate}, before {@code auth_success}.
     */
    @Test
    void pipelinedSubscribesAckTheRealNumberOfInitialRows() {
        api.ok(alice, insertMany("counted", "c", 7));
        try (WsClient ws = WsClient.connect(url(), "/v1/ws")) {
            ws.send(new JsonObject().put("type", "authenticate").put("method", "jwt").put("token", alice)
                    .put("protocol", new JsonObject().put("serialization", "json").put("compression", "none")));
            ws.subscribe("all", "SELECT * FROM chat.messages WHERE thread_id = 'counted'", null);
            ws.subscribe("some", "SELECT content FROM chat.messages WHERE thread_id = 'counted' AND content > 'c4'",
                    null);
            ws.subscribe("none", "SELECT * FROM chat.messages WHERE thread_id = 'no such thread'", null);
            assertEquals("auth_success", ws.next().getString("type"));
            Map<String, Integer> expected = Map.of("all", 7, "some", 2, "none", 0);
            for (Map.Entry<String, Integer> e : expected.entrySet()) {
                JsonObject ack = ws.nextFor(e.getKey());
                assertEquals("subscription_ack", ack.getString("type"), ack.encode());
                assertEquals(e.getValue(), ack.getInteger("total_rows"), ack.encode());
                JsonObject batch = ws.nextFor(e.getKey());
                assertEquals(e.getValue(), WsClient.rows(batch, "rows").size(), "total_rows = rows sent");
            }
        }
    }

    @Test
    void batchSizePagesTheInitialDataThroughNextBatch() {
        api.ok(alice, insertMany("paging", "p", 25));
        try (WsClient ws = WsClient.authenticated(url(), alice)) {
            ws.subscribe("pg", "SELECT content FROM chat.messages WHERE thread_id = 'paging'",
                    WsClient.options("batch_size", 10));
            JsonObject ack = ws.nextFor("pg");
            assertEquals(new JsonObject().put("batch_num", 0).put("has_more", true).put("status", "loading"),
                    withoutSeq(ack.getJsonObject("batch_control")));
            assertFalse(ack.containsKey("total_rows"), "more batches follow: no guessed count " + ack.encode());
            List<String> all = new ArrayList<>();
            String[] statuses = {"loading", "loading_batch", "ready"};
            int[] sizes = {10, 10, 5};
            for (int b = 0; b < 3; b++) {
                JsonObject batch = ws.nextFor("pg");
                JsonObject control = batch.getJsonObject("batch_control");
                assertEquals(b, control.getInteger("batch_num"), batch.encode());
                assertEquals(statuses[b], control.getString("status"));
                assertEquals(b < 2, control.getBoolean("has_more"));
                List<JsonObject> rows = WsClient.rows(batch, "rows");
                assertEquals(sizes[b], rows.size());
                all.addAll(contents(rows));
                if (control.getBoolean("has_more")) {
                    ws.send(new JsonObject().put("type", "next_batch").put("subscription_id", "pg")
                            .put("last_seq_id", control.getLong("last_seq_id")));
                }
            }
            assertEquals(IntStream.range(0, 25).mapToObj(i -> "p" + i).toList(), all, "in _seq order, no repeats");
            api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('paging', 'after')");
            assertEquals("after", WsClient.rows(ws.nextFor("pg"), "rows").get(0).getString("content"));
        }
    }

    @Test
    void projectionsCarryOnlyTheProjectedColumnsAndSeq() {
        api.ok(alice, "INSERT INTO chat.messages (thread_id, role, content) VALUES ('proj', 'user', 'one')");
        try (WsClient ws = WsClient.authenticated(url(), alice)) {
            ws.subscribe("p", "SELECT content FROM chat.messages WHERE thread_id = 'proj'", null);
            JsonObject ack = ws.nextFor("p");
            assertEquals(List.of("content", "_seq"), ack.getJsonArray("schema").stream()
                    .map(c -> ((JsonObject) c).getString("name")).toList());
            List<JsonObject> rows = WsClient.rows(ws.nextFor("p"), "rows");
            assertEquals(Set.of("content", "_seq"), rows.get(0).fieldNames());
            api.ok(alice, "UPDATE chat.messages SET content = 'two' WHERE thread_id = 'proj'");
            JsonObject update = ws.nextFor("p");
            assertEquals(Set.of("content", "_seq"), WsClient.rows(update, "rows").get(0).fieldNames());
            assertEquals("two", WsClient.rows(update, "rows").get(0).getString("content"));
            assertEquals("one", WsClient.rows(update, "old_values").get(0).getString("content"));
        }
    }

    @Test
    void filtersWithAndOrLikeInIsNullAndCurrentUser() {
        try (WsClient ws = WsClient.authenticated(url(), alice)) {
            ws.subscribeAndLoad("f", "SELECT content FROM chat.messages WHERE thread_id = 'filters' AND "
                    + "(role = 'user' OR role LIKE 'assist%') AND content IN ('a', 'b', 'c') AND created_at IS NULL",
                    null);
            api.ok(alice, """
                    INSERT INTO chat.messages (thread_id, role, content, created_at) VALUES
                      ('filters', 'user', 'a', NULL),
                      ('filters', 'assistant', 'b', NULL),
                      ('filters', 'system', 'a', NULL),
                      ('filters', 'user', 'z', NULL),
                      ('filters', 'user', 'c', NOW()),
                      ('elsewhere', 'user', 'a', NULL),
                      ('filters', 'user', 'c', NULL)""");
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seen.add(WsClient.rows(ws.nextFor("f"), "rows").get(0).getString("content"));
            }
            assertEquals(List.of("a", "b", "c"), seen);
            assertNull(ws.poll(QUIET_MS));

            ws.subscribeAndLoad("mine", "SELECT title FROM chat.tasks WHERE owner = CURRENT_USER()", null);
            api.ok(root, "INSERT INTO chat.tasks (id, owner, title) VALUES (1, 'bob', 'for bob'), "
                    + "(2, 'alice', 'for alice')");
            assertEquals("for alice", WsClient.rows(ws.nextFor("mine"), "rows").get(0).getString("title"));
            assertNull(ws.poll(QUIET_MS));
        }
    }

    // ---------- bad input ----------

    @Test
    void badSubscriptionsGetTheirErrorAndTheConnectionKeepsServing() {
        try (WsClient ws = WsClient.authenticated(url(), alice)) {
            assertError(ws, "join", "SELECT * FROM chat.messages m JOIN chat.tasks t ON m.id = t.id", null,
                    "INVALID_SQL");
            assertError(ws, "order", "SELECT * FROM chat.messages ORDER BY id", null, "INVALID_SQL");
            assertError(ws, "limit", "SELECT * FROM chat.messages LIMIT 5", null, "INVALID_SQL");
            assertError(ws, "unqualified", "SELECT * FROM messages", null, "INVALID_SQL");
            assertError(ws, "notsql", "DELETE FROM chat.messages", null, "INVALID_SQL");
            JsonObject missing = assertError(ws, "missing", "SELECT * FROM chat.nope", null, "NOT_FOUND");
            assertEquals("table 'chat.nope' not found", missing.getString("message"));
            assertEquals(api.sql(alice, "SELECT * FROM chat.nope").errorMessage(), missing.getString("message"),
                    "the same mistake has the same message over HTTP and WebSocket");
            for (String mistake : List.of("SELEC * FROM chat.messages", "SELECT * FROM chat.messages WHERE",
                    "SELECT * FROM chat.messages WHERE content = ", "SELECT nocol FROM chat.messages",
                    "SELECT * FROM chat.messages WHERE nocol = 1",
                    "SELECT * FROM chat.messages WHERE content = 'open")) {
                JsonObject ws1 = assertError(ws, "typo" + mistake.length(), mistake, null, "INVALID_SQL");
                assertEquals(api.sql(alice, mistake).errorMessage(), ws1.getString("message"),
                        "the same message over HTTP and WebSocket for: " + mistake);
            }
            assertError(ws, "private", "SELECT * FROM chat.secrets", null, "UNAUTHORIZED");
            assertError(ws, "system", "SELECT * FROM system.users", null, "UNAUTHORIZED");
            assertError(ws, "rows", "SELECT * FROM chat.messages", WsClient.options("last_rows", 51, "batch_size", 50),
                    "UNSUPPORTED");

            ws.subscribeAndLoad("dup", "SELECT content FROM chat.messages WHERE thread_id = 'dup'", null);
            JsonObject duplicate = assertError(ws, "dup", "SELECT content FROM chat.messages", null,
                    "INVALID_SUBSCRIPTION_ID");
            assertTrue(duplicate.getString("message").contains("dup"));
            ws.subscribe("", "SELECT * FROM chat.messages", null);
            JsonObject blank = ws.next(f -> "error".equals(f.getString("type")));
            assertEquals("INVALID_SUBSCRIPTION_ID", blank.getString("code"));
            assertEquals("invalid_subscription", blank.getString("subscription_id"));

            ws.send(new JsonObject().put("type", "teleport"));
            JsonObject unknown = ws.next(f -> "error".equals(f.getString("type")));
            assertEquals("PROTOCOL", unknown.getString("code"));
            assertEquals("protocol", unknown.getString("subscription_id"));

            ws.sendBinary(new byte[] {1, 2, 3});
            JsonObject binary = ws.next(f -> "error".equals(f.getString("type")));
            assertEquals("UNSUPPORTED_DATA", binary.getString("code"));
            assertEquals("Binary not supported", binary.getString("message"));

            String big = "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(1_048_576) + "\"}";
            ws.sendText(big);
            JsonObject tooLarge = ws.next(f -> "error".equals(f.getString("type")));
            assertEquals("MESSAGE_TOO_LARGE", tooLarge.getString("code"));
            assertEquals("protocol", tooLarge.getString("subscription_id"));

            // the same connection still serves its subscription
            api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('dup', 'still here')");
            assertEquals("still here", WsClient.rows(ws.nextFor("dup"), "rows").get(0).getString("content"));
        }
    }

    @Test
    void subscribeBeforeAuthenticationIsRefusedAndOtherMessagesIgnored() {
        try (WsClient ws = WsClient.connect(url(), "/v1/ws")) {
            ws.send(new JsonObject().put("type", "unsubscribe").put("subscription_id", "x"));
            ws.send(new JsonObject().put("type", "next_batch").put("subscription_id", "x"));
            ws.subscribe("early", "SELECT * FROM chat.messages", null);
            JsonObject error = ws.next();
            assertEquals("error", error.getString("type"), error.encode());
            assertEquals("AUTH_REQUIRED", error.getString("code"));
            assertEquals("subscribe", error.getString("subscription_id"));
            ws.send(new JsonObject().put("type", "authenticate").put("method", "jwt").put("token", alice));
            JsonObject ok = ws.next();
            assertEquals("auth_success", ok.getString("type"));
            assertEquals("alice", ok.getString("user"));
            assertEquals("user", ok.getString("role"));
            assertEquals(new JsonObject().put("serialization", "json").put("compression", "gzip"),
                    ok.getJsonObject("protocol"), "protocol is optional and defaults to json/gzip");
            ws.send(new JsonObject().put("type", "authenticate").put("method", "jwt").put("token", alice));
            assertEquals("auth_success", ws.next().getString("type"), "re-authenticating re-sends auth_success");
        }
    }

    @Test
    void invalidJsonClosesWith1011AndOtherConnectionsGoOn() {
        try (WsClient good = WsClient.authenticated(url(), alice); WsClient bad = WsClient.authenticated(url(), alice)) {
            good.subscribeAndLoad("g", "SELECT content FROM chat.messages WHERE thread_id = 'survivor'", null);
            bad.sendText("{not json");
            assertEquals(1011, bad.awaitClose());
            assertTrue(bad.closeReason().startsWith("Invalid message: "), bad.closeReason());
            api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('survivor', 'alive')");
            assertEquals("alive", WsClient.rows(good.nextFor("g"), "rows").get(0).getString("content"));
        }
    }

    @Test
    void aConnectionHoldsAtMostOneHundredSubscriptions() {
        try (WsClient ws = WsClient.authenticated(url(), alice)) {
            for (int i = 0; i < 100; i++) {
                ws.subscribe("n" + i, "SELECT content FROM chat.messages WHERE thread_id = 'cap'", null);
            }
            for (int i = 0; i < 100; i++) {
                String id = "n" + i;
                assertEquals("subscription_ack", ws.nextFor(id).getString("type"));
            }
            ws.subscribe("n100", "SELECT content FROM chat.messages WHERE thread_id = 'cap'", null);
            JsonObject error = ws.nextFor("n100");
            assertEquals("UNSUPPORTED", error.getString("code"), error.encode());
            assertEquals("Maximum subscriptions (100) per connection exceeded", error.getString("message"));
            ws.send(new JsonObject().put("type", "unsubscribe").put("subscription_id", "n0"));
            ws.subscribe("n100", "SELECT content FROM chat.messages WHERE thread_id = 'cap'", null);
            assertEquals("subscription_ack", ws.nextFor("n100").getString("type"), "room again after unsubscribe");
        }
    }

    @Test
    void badTokensGetAuthErrorAndClose1008() {
        try (WsClient ws = WsClient.connect(url(), "/v1/ws")) {
            ws.send(new JsonObject().put("type", "authenticate").put("method", "jwt").put("token", "not.a.jwt"));
            JsonObject error = ws.next();
            assertEquals(new JsonObject().put("type", "auth_error").put("message", "Invalid credentials"), error);
            assertEquals(1008, ws.awaitClose());
        }
        try (WsClient ws = WsClient.connect(url(), "/v1/ws", "Authorization", "Bearer " + alice + "x")) {
            assertEquals("auth_error", ws.next().getString("type"));
            assertEquals(1008, ws.awaitClose());
        }
        String refresh = new JsonObject(api.post("/v1/api/auth/login", null, new JsonObject().put("user", "alice")
                .put("password", "AlicePass123!").encode()).body()).getString("refresh_token");
        try (WsClient ws = WsClient.connect(url(), "/v1/ws")) {
            ws.send(new JsonObject().put("type", "authenticate").put("method", "jwt").put("token", refresh));
            assertEquals("auth_error", ws.next().getString("type"), "a refresh token is no access token");
            assertEquals(1008, ws.awaitClose());
        }
    }

    @Test
    void theUpgradeHeaderAuthenticatesAtOnce() {
        try (WsClient ws = WsClient.connect(url(), "/v1/ws?compression=none", "Authorization", "Bearer " + bob)) {
            JsonObject ok = ws.next();
            assertEquals("auth_success", ok.getString("type"), ok.encode());
            assertEquals("bob", ok.getString("user"));
            assertEquals("none", ok.getJsonObject("protocol").getString("compression"));
            assertEquals(List.of(), ws.subscribeAndLoad("h", "SELECT * FROM chat.messages WHERE thread_id = 'h'",
                    null));
        }
    }

    // ---------- compression ----------

    @Test
    void framesOf512BytesOrMoreAreGzippedUnlessCompressFalse() {
        String longText = "lorem ipsum dolor sit amet ".repeat(60);
        api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('gz', '" + longText + "')");
        try (WsClient ws = WsClient.authenticated(url(), alice)) {
            ws.subscribe("gz", "SELECT content FROM chat.messages WHERE thread_id = 'gz'", null);
            WsClient.Frame ack = ws.nextFrame(f -> "gz".equals(f.getString("subscription_id")), WsClient.WAIT_MS);
            assertFalse(ack.binary(), "a small frame stays text");
            WsClient.Frame batch = ws.nextFrame(f -> "gz".equals(f.getString("subscription_id")), WsClient.WAIT_MS);
            assertTrue(batch.binary(), "a large frame is gzip'd binary");
            assertTrue(batch.wireBytes() < longText.length());
            assertEquals(longText, WsClient.rows(batch.json(), "rows").get(0).getString("content"));
        }
        try (WsClient ws = WsClient.connect(url(), "/v1/ws?compress=false")) {
            ws.send(new JsonObject().put("type", "authenticate").put("method", "jwt").put("token", alice));
            assertEquals("auth_success", ws.next().getString("type"));
            ws.subscribe("gz", "SELECT content FROM chat.messages WHERE thread_id = 'gz'", null);
            ws.nextFor("gz");
            WsClient.Frame batch = ws.nextFrame(f -> "gz".equals(f.getString("subscription_id")), WsClient.WAIT_MS);
            assertFalse(batch.binary(), "compress=false: text frames only");
            assertTrue(batch.wireBytes() > longText.length());
        }
        try (WsClient ws = WsClient.connect(url(), "/v1/ws")) {
            ws.send(new JsonObject().put("type", "authenticate").put("method", "jwt").put("token", alice)
                    .put("protocol", new JsonObject().put("serialization", "json").put("compression", "none")));
            assertEquals("auth_success", ws.next().getString("type"));
            ws.subscribe("gz", "SELECT content FROM chat.messages WHERE thread_id = 'gz'", null);
            ws.nextFor("gz");
            assertFalse(ws.nextFrame(f -> "gz".equals(f.getString("subscription_id")), WsClient.WAIT_MS).binary(),
                    "protocol compression none: text frames only");
        }
    }

    // ---------- lifecycle ----------

    @Test
    void systemLiveShowsTheSubscriptionUntilUnsubscribeOrClose() {
        try (WsClient ws = WsClient.authenticated(url(), alice)) {
            ws.subscribeAndLoad("sub_meta_test", "SELECT * FROM chat.messages WHERE thread_id = 'meta'",
                    WsClient.options("batch_size", 5));
            JsonArray rows = liveRows("sub_meta_test");
            assertEquals(1, rows.size(), rows.encode());
            JsonObject live = rows.getJsonObject(0);
            assertTrue(live.getString("connection_id").matches("[0-9a-f]{32}"), live.encode());
            assertEquals("alice", live.getString("user_id"));
            assertEquals("alice-" + live.getString("connection_id") + "-sub_meta_test", live.getString("live_id"));
            assertEquals(1, api.ok(root, "SELECT * FROM system.live_queries WHERE subscription_id = 'sub_meta_test'")
                    .rows(0).size(), "system.live_queries is an alias");
            ws.send(new JsonObject().put("type", "unsubscribe").put("subscription_id", "sub_meta_test"));
            await(() -> liveRows("sub_meta_test").isEmpty(), "unsubscribe removes the row");

            ws.subscribeAndLoad("sub_meta_test", "SELECT * FROM chat.messages WHERE thread_id = 'meta'", null);
            assertEquals(1, liveRows("sub_meta_test").size());
        }
        await(() -> liveRows("sub_meta_test").isEmpty(), "closing the socket removes the row");
    }

    @Test
    void killLiveQueryEndsTheSubscriptionWithAnErrorFrame() {
        try (WsClient ws = WsClient.authenticated(url(), alice)) {
            ws.subscribeAndLoad("killme", "SELECT content FROM chat.messages WHERE thread_id = 'kill'", null);
            ws.subscribeAndLoad("keepme", "SELECT content FROM chat.messages WHERE thread_id = 'kill'", null);
            String liveId = liveRows("killme").getJsonObject(0).getString("live_id");
            api.ok(root, "KILL LIVE QUERY '" + liveId + "'");
            JsonObject error = ws.nextFor("killme");
            assertEquals("error", error.getString("type"), error.encode());
            assertEquals("SUBSCRIPTION_FAILED", error.getString("code"));
            assertEquals("killed", error.getString("message"));
            api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('kill', 'after')");
            assertEquals("after", WsClient.rows(ws.nextFor("keepme"), "rows").get(0).getString("content"));
            assertNull(ws.poll(f -> "killme".equals(f.getString("subscription_id")), QUIET_MS));
            assertTrue(liveRows("killme").isEmpty());
        }
    }

    @Test
    void theServerAnswersPings() {
        try (WsClient ws = WsClient.authenticated(url(), alice)) {
            ws.ping();
            await(() -> ws.pongs().contains("hb"), "a pong with the ping's payload");
            ws.send(new JsonObject().put("type", "ping"));
            assertNull(ws.poll(QUIET_MS), "an app-level ping has no reply");
        }
    }

    @Test
    void aPlainGetIsNoWebSocket() {
        ApiClient.Reply r = get("/v1/ws");
        assertEquals(400, r.status(), r.body());
    }

    // ---------- helpers ----------

    static JsonObject assertError(WsClient ws, String id, String sql, JsonObject options, String code) {
        ws.subscribe(id, sql, options);
        JsonObject error = ws.nextFor(id);
        assertEquals("error", error.getString("type"), error.encode());
        assertEquals(code, error.getString("code"), error.encode());
        assertNotNull(error.getString("message"));
        return error;
    }

    static String insertMany(String thread, String prefix, int n) {
        return "INSERT INTO chat.messages (thread_id, role, content) VALUES " + IntStream.range(0, n)
                .mapToObj(i -> "('" + thread + "', 'user', '" + prefix + i + "')").collect(Collectors.joining(", "));
    }

    static List<String> contents(List<JsonObject> rows) {
        return rows.stream().map(r -> r.getString("content")).toList();
    }

    static void assertAscendingSeqs(List<JsonObject> rows) {
        long previous = Long.MIN_VALUE;
        for (JsonObject row : rows) {
            long seq = Long.parseLong(row.getString("_seq"));
            assertTrue(seq > previous, "ascending _seq: " + rows);
            previous = seq;
        }
    }

    static JsonObject withoutSeq(JsonObject control) {
        JsonObject copy = control.copy();
        copy.remove("last_seq_id");
        return copy;
    }

    /** The rows of system.live for one subscription id, as objects. */
    static JsonArray liveRows(String subscriptionId) {
        return liveRowsOf(api, root, subscriptionId);
    }

    static JsonArray liveRowsOf(ApiClient api, String root, String subscriptionId) {
        ApiClient.Reply r = api.ok(root, "SELECT live_id, connection_id, user_id FROM system.live "
                + "WHERE subscription_id = '" + subscriptionId + "'");
        JsonArray out = new JsonArray();
        for (Object row : r.rows(0)) {
            JsonArray values = (JsonArray) row;
            out.add(new JsonObject().put("live_id", values.getString(0)).put("connection_id", values.getString(1))
                    .put("user_id", values.getString(2)));
        }
        return out;
    }

    /** Reads one subscription's frames until an insert with the given content; returns every content seen. */
    static List<String> collectUntil(WsClient ws, String id, String last) {
        List<String> seen = new ArrayList<>();
        while (true) {
            JsonObject frame = ws.nextFor(id);
            switch (frame.getString("type")) {
                case "subscription_ack" -> { }
                case "initial_data_batch" -> {
                    seen.addAll(contents(WsClient.rows(frame, "rows")));
                    JsonObject control = frame.getJsonObject("batch_control");
                    if (control.getBoolean("has_more")) {
                        ws.send(new JsonObject().put("type", "next_batch").put("subscription_id", id)
                                .put("last_seq_id", control.getLong("last_seq_id")));
                    }
                }
                case "change" -> {
                    assertEquals("insert", frame.getString("change_type"));
                    String content = WsClient.rows(frame, "rows").get(0).getString("content");
                    seen.add(content);
                    if (content.equals(last)) {
                        return seen;
                    }
                }
                default -> fail("unexpected frame " + frame.encode());
            }
        }
    }

    static List<String> duplicates(List<String> values) {
        Set<String> once = new HashSet<>();
        return values.stream().filter(v -> !once.add(v)).toList();
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 10 s: " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static ApiClient.Reply get(String path) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url() + path)).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new ApiClient.Reply(r.statusCode(), r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
