package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.server.Futures;
import io.kalamdb.server.KalamServer;
import io.kalamdb.server.ServerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue #4 over the wire: the agent loop, consumer groups over HTTP, redelivery, replay and bad input. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopicsIT {
    private static KalamServer server;
    private static ApiClient api;
    private static String root;
    private static String alice;
    private static String worker;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", "0");
        values.put("server.engine_workers", "8");
        values.put("storage.data_path", Files.createTempDirectory("kalam-topics").toString());
        values.put("auth.root_password", SqlApiIT.ROOT_PASSWORD);
        values.put("auth.bcrypt_cost", "4");
        values.put("topics.visibility_timeout_secs", "1");
        values.put("rate_limit.max_queries_per_sec", "0"); // awaits conditions by polling; RateLimitIT tests the limit
        server = Futures.await(KalamServer.start(ServerConfig.of(values)));
        api = new ApiClient(server.baseUrl());
        root = api.login("root", SqlApiIT.ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE chat; CREATE TABLE chat.messages (id BIGINT DEFAULT SNOWFLAKE_ID(), "
                + "thread_id TEXT, role TEXT, content TEXT, created_at TIMESTAMP) WITH (TYPE='USER');"
                + "CREATE USER 'alice' WITH PASSWORD 'AlicePass123!' ROLE user;"
                + "CREATE USER 'worker' WITH PASSWORD 'WorkerPass123!' ROLE service");
        alice = api.login("alice", "AlicePass123!");
        worker = api.login("worker", "WorkerPass123!");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ApiClient.Reply consume(String token, JsonObject body) {
        return api.post("/v1/api/topics/consume", token, body.encode());
    }

    private static ApiClient.Reply ack(String token, JsonObject body) {
        return api.post("/v1/api/topics/ack", token, body.encode());
    }

    private static List<Long> offsets(ApiClient.Reply r) {
        List<Long> out = new ArrayList<>();
        for (Object m : r.json().getJsonArray("messages")) {
            out.add(((JsonObject) m).getLong("offset"));
        }
        return out;
    }

    @Test
    void theAgentLoopVerbatim() {
        api.ok(root, "CREATE TOPIC chat.message_events PARTITIONS 2;");
        api.ok(root, "ALTER TOPIC chat.message_events ADD SOURCE chat.messages ON INSERT WITH (payload = 'full');");
        api.ok(alice, "INSERT INTO chat.messages (thread_id, role, content) VALUES ('thread_42', 'user', 'hello')");
        JsonArray first = api.ok(worker, "CONSUME FROM chat.message_events GROUP 'chat-worker-1' FROM LATEST LIMIT 50;")
                .rows(0);
        assertEquals(0, first.size(), "LATEST: only what is produced after the group's first fetch");
        api.ok(worker, "EXECUTE AS USER 'alice' (INSERT INTO chat.messages (thread_id, role, content) VALUES "
                + "('thread_42','assistant','…'));");
        JsonObject r = api.ok(worker, "CONSUME FROM chat.message_events GROUP 'chat-worker-1' FROM LATEST LIMIT 50;")
                .result(0);
        assertEquals(List.of("topic_id", "partition_id", "offset", "key", "payload", "timestamp_ms", "user_id", "op"),
                r.getJsonArray("schema").stream().map(c -> ((JsonObject) c).getString("name")).toList());
        JsonArray row = r.getJsonArray("rows").getJsonArray(0);
        assertEquals("alice", row.getString(6));
        assertEquals("Insert", row.getString(7));
        JsonArray bytes = row.getJsonArray(4);
        byte[] payload = new byte[bytes.size()];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) bytes.getInteger(i).intValue();
        }
        JsonObject message = new JsonObject(new String(payload, StandardCharsets.UTF_8));
        assertEquals("…", message.getString("content"));
        assertEquals("chat.messages", message.getString("_table"));
        String partition = String.valueOf(row.getValue(1));
        JsonObject acked = api.ok(worker, "ACK chat.message_events GROUP 'chat-worker-1' PARTITION " + partition
                + " UPTO OFFSET " + row.getString(2) + ";").result(0);
        assertEquals(row.getString(2), acked.getJsonArray("rows").getJsonArray(0).getValue(3));
        assertEquals(403, api.sql(alice, "CONSUME FROM chat.message_events LIMIT 1").status(), "user may not consume");
    }

    @Test
    void anAckWithAConsumerIdReleasesOnlyThatConsumersClaims() throws Exception {
        api.ok(root, "CREATE TOPIC chat.pair_events; ALTER TOPIC chat.pair_events ADD SOURCE chat.messages ON INSERT");
        for (int i = 0; i < 8; i++) {
            api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('p', 'm" + i + "')");
        }
        JsonObject req = new JsonObject().put("topic_id", "chat.pair_events").put("group_id", "pair")
                .put("start", "Earliest").put("limit", 4);
        assertEquals(List.of(0L, 1L, 2L, 3L), offsets(consume(worker, req.copy().put("consumer_id", "a"))));
        assertEquals(List.of(4L, 5L, 6L, 7L), offsets(consume(worker, req.copy().put("consumer_id", "b"))));
        JsonObject ackBody = new JsonObject().put("topic_id", "chat.pair_events").put("group_id", "pair")
                .put("upto_offset", 7);
        assertEquals(new JsonObject().put("success", true).put("acknowledged_offset", -1),
                ack(worker, ackBody.copy().put("consumer_id", "b")).json(), "b's ack leaves a's 0..3 claimed");
        assertEquals(new JsonObject().put("success", true).put("acknowledged_offset", -1),
                ack(worker, ackBody).json(), "without consumer_id the caller's user is the consumer: it holds none");
        List<Long> redelivered = List.of();
        long deadline = System.currentTimeMillis() + 10_000;
        while (redelivered.isEmpty() && System.currentTimeMillis() < deadline) {
            redelivered = offsets(consume(worker, req.copy().put("consumer_id", "c").put("limit", 10)
                    .put("timeout_seconds", 1)));
        }
        assertEquals(List.of(0L, 1L, 2L, 3L), redelivered, "a never acked: its claims come back, 4..7 do not");
        assertEquals(7L, ack(worker, ackBody.copy().put("consumer_id", "c")).json().getLong("acknowledged_offset"));
        expect(consume(worker, req.copy().put("consumer_id", 5)), 400, "BAD_REQUEST");
        expect(ack(worker, ackBody.copy().put("consumer_id", "")), 400, "BAD_REQUEST");
    }

    @Test
    void httpConsumeAckRedeliveryAndGroups() throws Exception {
        api.ok(root, "CREATE TOPIC chat.http_events; ALTER TOPIC chat.http_events ADD SOURCE chat.messages ON INSERT");
        for (int i = 0; i < 10; i++) {
            api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('h', 'm" + i + "')");
        }
        JsonObject req = new JsonObject().put("topic_id", "chat.http_events").put("group_id", "g")
                .put("start", "Earliest").put("limit", 4);
        ApiClient.Reply a = consume(worker, req);
        ApiClient.Reply b = consume(worker, req);
        assertEquals(200, a.status(), a.body());
        assertEquals(List.of(0L, 1L, 2L, 3L), offsets(a));
        assertEquals(List.of(4L, 5L, 6L, 7L), offsets(b), "a second consumer of the group gets the next range");
        assertEquals(true, a.json().getBoolean("has_more"));
        JsonObject m0 = a.json().getJsonArray("messages").getJsonObject(0);
        assertEquals("alice", m0.getString("user"));
        assertEquals("Insert", m0.getString("op"));
        assertTrue(new String(Base64.getDecoder().decode(m0.getString("payload")), StandardCharsets.UTF_8)
                .contains("\"content\":\"m0\""));
        ApiClient.Reply acked = ack(worker, new JsonObject().put("topic_id", "chat.http_events").put("group_id", "g")
                .put("partition_id", 0).put("upto_offset", 3));
        assertEquals(new JsonObject().put("success", true).put("acknowledged_offset", 3), acked.json());
        List<Long> redelivered = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            ApiClient.Reply c = consume(worker, req.copy().put("limit", 10).put("timeout_seconds", 1));
            List<Long> got = offsets(c);
            if (!got.isEmpty() && got.get(0) == 4L) {
                redelivered.addAll(got);
                break;
            }
        }
        assertEquals(List.of(4L, 5L, 6L, 7L), redelivered, "unacked messages come back after the visibility timeout");
        ApiClient.Reply other = consume(worker, req.copy().put("group_id", "other").put("limit", 100));
        assertEquals(10, offsets(other).size(), "another group gets everything");
        assertEquals(List.of(), offsets(consume(worker, req.copy().put("group_id", "late").put("start", "Latest"))));
        assertEquals(List.of(2L, 3L), offsets(consume(worker, req.copy().put("group_id", "fromoffset").put("limit", 2)
                .put("start", new JsonObject().put("Offset", 2)))));
    }

    @Test
    void aLongPollWaitsForTheNextMessage() throws Exception {
        api.ok(root, "CREATE TOPIC chat.wait_events; ALTER TOPIC chat.wait_events ADD SOURCE chat.messages ON INSERT");
        JsonObject req = new JsonObject().put("topic_id", "chat.wait_events").put("group_id", "w")
                .put("start", "Latest").put("timeout_seconds", 10);
        CompletableFuture<ApiClient.Reply> waiting = CompletableFuture.supplyAsync(() -> consume(worker, req));
        long end = System.currentTimeMillis() + 5_000;
        while (!waiting.isDone() && System.currentTimeMillis() < end) {
            api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('w', 'wake up')");
            try {
                waiting.get(300, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // the poll started after this insert: insert again
            }
        }
        ApiClient.Reply r = waiting.get(10, TimeUnit.SECONDS);
        assertTrue(!offsets(r).isEmpty(), "the long poll returned the new message: " + r.body());
        long t0 = System.nanoTime();
        ApiClient.Reply empty = consume(worker, req.copy().put("group_id", "w2").put("timeout_seconds", 1));
        assertEquals(List.of(), offsets(empty));
        assertTrue(System.nanoTime() - t0 >= 900_000_000L, "an empty long poll waits for its timeout");
    }

    @Test
    void badInputGetsClearErrors() {
        api.ok(root, "CREATE TOPIC chat.bad_events");
        expect(consume(alice, new JsonObject().put("topic_id", "chat.bad_events")), 403, "FORBIDDEN");
        expect(consume(worker, new JsonObject().put("topic_id", "chat.nope")), 404, "NOT_FOUND");
        expect(consume(worker, new JsonObject().put("topic_id", "noqualifier")), 400, "BAD_REQUEST");
        expect(consume(worker, new JsonObject().put("topic_id", "chat.bad_events").put("limit", -1)), 400,
                "BAD_REQUEST");
        expect(consume(worker, new JsonObject().put("topic_id", "chat.bad_events").put("start", "Oldest")), 400,
                "BAD_REQUEST");
        expect(consume(worker, new JsonObject().put("topic_id", "chat.bad_events")
                .put("start", new JsonObject().put("Offset", -3))), 400, "BAD_REQUEST");
        expect(ack(worker, new JsonObject().put("topic_id", "chat.bad_events").put("group_id", "g")
                .put("upto_offset", 5)), 400, "BAD_REQUEST");
        expect(ack(worker, new JsonObject().put("topic_id", "chat.bad_events").put("upto_offset", 0)), 400,
                "BAD_REQUEST");
        expect(api.post("/v1/api/topics/consume", worker, "{not json"), 400, "BAD_REQUEST");
        ApiClient.Reply noToken = api.post("/v1/api/topics/consume", null, "{}");
        assertEquals(401, noToken.status());
        assertEquals(400, api.sql(root, "ALTER TOPIC chat.bad_events ADD SOURCE chat.messages ON INSERT "
                + "WITH (payload = 'fulll')").status());
        assertEquals(400, api.sql(root, "CREATE TOPIC unqualified").status());
        assertEquals(0, api.ok(root, "SELECT * FROM system.topic_offsets WHERE topic_id = 'chat.bad_events'")
                .result(0).getInteger("row_count"), "nothing was committed");
    }

    private static void expect(ApiClient.Reply r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.json().getString("code"), r.body());
        assertTrue(r.json().getString("error").length() > 5, r.body());
    }

    @Test
    void messagesAndOffsetsSurviveRestartAndKillMinusNine() throws Exception {
        Path dir = Files.createTempDirectory("kalam-topics-crash");
        ServerProcess s = ServerProcess.launch(dir);
        ApiClient c = new ApiClient(s.baseUrl());
        String r = c.login("root", SqlApiIT.ROOT_PASSWORD);
        c.ok(r, "CREATE NAMESPACE app; CREATE TABLE app.jobs (id BIGINT PRIMARY KEY, body TEXT) "
                + "WITH (TYPE='SHARED'); CREATE TOPIC app.job_events; "
                + "ALTER TOPIC app.job_events ADD SOURCE app.jobs ON INSERT");
        for (int i = 0; i < 20; i++) {
            c.ok(r, "INSERT INTO app.jobs (id, body) VALUES ($1, 'job')", i);
        }
        c.ok(r, "CONSUME FROM app.job_events GROUP 'g' FROM EARLIEST LIMIT 5");
        s.kill9();
        ServerProcess again = ServerProcess.launch(dir);
        try {
            ApiClient c2 = new ApiClient(again.baseUrl());
            String r2 = c2.login("root", SqlApiIT.ROOT_PASSWORD);
            JsonArray all = c2.ok(r2, "CONSUME FROM app.job_events FROM EARLIEST LIMIT 100").rows(0);
            assertEquals(20, all.size(), "every message of an acknowledged insert is still there");
            Set<String> keys = new HashSet<>();
            all.forEach(row -> keys.add(((JsonArray) row).getString(3)));
            assertEquals(20, keys.size());
            JsonArray next = c2.ok(r2, "CONSUME FROM app.job_events GROUP 'g' LIMIT 100").rows(0);
            assertEquals("5", next.getJsonArray(0).getString(2), "the committed offset survived");
            c2.ok(r2, "INSERT INTO app.jobs (id, body) VALUES (100, 'after')");
            JsonArray tail = c2.ok(r2, "CONSUME FROM app.job_events FROM 20 LIMIT 10").rows(0);
            assertEquals(1, tail.size(), "offsets continue gap-free after the crash");
            assertEquals("20", tail.getJsonArray(0).getString(2));
        } finally {
            again.stop();
        }
    }

    @Test
    void streamRowsExpireByTtl() throws Exception {
        api.ok(root, "CREATE TABLE chat.typing (id BIGINT DEFAULT SNOWFLAKE_ID(), thread_id TEXT) "
                + "WITH (TYPE='STREAM', TTL_SECONDS=1)");
        api.ok(alice, "INSERT INTO chat.typing (thread_id) VALUES ('t'), ('t'), ('t')");
        assertEquals(3, api.ok(alice, "SELECT * FROM chat.typing").result(0).getInteger("row_count"));
        long deadline = System.currentTimeMillis() + 10_000;
        int left = 3;
        while (left > 0 && System.currentTimeMillis() < deadline) {
            left = api.ok(alice, "SELECT * FROM chat.typing").result(0).getInteger("row_count");
        }
        assertEquals(0, left, "rows past TTL_SECONDS are gone");
        assertEquals(400, api.sql(root, "CREATE TABLE chat.nottl (id INT PRIMARY KEY) WITH (TYPE='STREAM')").status());
    }
}
