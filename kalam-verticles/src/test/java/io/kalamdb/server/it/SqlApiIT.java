package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.server.KalamServer;
import io.kalamdb.server.ServerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #2 over the wire: the real server (real RocksDB, real HTTP, port 0) answering the product's own
 * example verbatim, per-user isolation, EXECUTE AS USER, and every kind of bad input.
 */
class SqlApiIT {
    static final String ROOT_PASSWORD = TestServers.ROOT_PASSWORD;
    private static KalamServer server;
    private static ApiClient api;
    private static String root;
    private static String alice;
    private static String bob;
    private static String bot;

    static ServerConfig config(Path dataDir) {
        return config(dataDir, Map.of());
    }

    /** The test configuration with {@code overrides} applied on top (see {@link TestServers}). */
    static ServerConfig config(Path dataDir, Map<String, String> overrides) {
        return TestServers.config(dataDir, overrides);
    }

    @BeforeAll
    static void start() throws Exception {
        server = io.kalamdb.server.Futures.await(KalamServer.start(config(Files.createTempDirectory("kalam-sqlapi"))));
        api = new ApiClient(server.baseUrl());
        root = api.login("root", ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE chat");
        api.ok(root, """
                CREATE TABLE chat.messages (
                  id         BIGINT DEFAULT SNOWFLAKE_ID(),
                  thread_id  TEXT,
                  role       TEXT,
                  content    TEXT,
                  created_at TIMESTAMP
                ) WITH (TYPE='USER');""");
        api.ok(root, "CREATE USER 'alice' WITH PASSWORD 'AlicePass123!' ROLE user;");
        api.ok(root, "CREATE USER 'bob' WITH PASSWORD 'BobPass123!' ROLE user;");
        api.ok(root, "CREATE USER 'service_bot' WITH PASSWORD 'BotPass123!' ROLE service;");
        alice = api.login("alice", "AlicePass123!");
        bob = api.login("bob", "BobPass123!");
        bot = api.login("service_bot", "BotPass123!");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theSeedScenarioWorksAsWrittenWithTheReferenceShapes() {
        ApiClient.Reply ins = api.ok(alice, """
                INSERT INTO chat.messages (thread_id, role, content, created_at)
                VALUES ('thread_42', 'user', 'Can you check my invoice?', NOW());""");
        JsonObject insResult = ins.result(0);
        assertEquals(1, insResult.getInteger("row_count"));
        assertEquals("Inserted 1 row(s)", insResult.getString("message"));
        assertEquals("alice", insResult.getString("as_user"));
        assertNull(insResult.getValue("schema"), "DML results carry no schema");
        assertInstanceOf(Number.class, ins.json().getValue("took"));

        ApiClient.Reply exec = api.ok(bot, """
                EXECUTE AS USER 'alice' (
                  INSERT INTO chat.messages (thread_id, role, content) VALUES ('thread_42', 'assistant', 'Done.')
                );""");
        assertEquals("alice", exec.result(0).getString("as_user"));

        ApiClient.Reply sel = api.ok(alice, "SELECT * FROM chat.messages WHERE thread_id = 'thread_42';");
        JsonObject result = sel.result(0);
        assertEquals(2, result.getInteger("row_count"));
        JsonArray schema = result.getJsonArray("schema");
        assertEquals(new JsonObject().put("name", "id").put("data_type", "BigInt").put("index", 0)
                .put("flags", new JsonArray().add("pk").add("nn").add("uq")), schema.getJsonObject(0));
        assertEquals("Timestamp", schema.getJsonObject(4).getString("data_type"));
        assertEquals("_seq", schema.getJsonObject(5).getString("name"));
        assertEquals("_deleted", schema.getJsonObject(6).getString("name"));
        JsonArray first = result.getJsonArray("rows").getJsonArray(0);
        assertInstanceOf(String.class, first.getValue(0), "BIGINT is a JSON string");
        assertEquals("Can you check my invoice?", first.getString(3));
        assertTrue(first.getLong(4) > 1_600_000_000_000_000L, "TIMESTAMP is integer microseconds");
        assertInstanceOf(String.class, first.getValue(5), "_seq is a JSON string");
        assertEquals(false, first.getBoolean(6));
        assertEquals("Done.", result.getJsonArray("rows").getJsonArray(1).getString(3));
        assertNull(result.getJsonArray("rows").getJsonArray(1).getValue(4));
    }

    @Test
    void twoUsersNeverSeeEachOthersRows() {
        api.ok(alice, "INSERT INTO chat.messages (thread_id, content) VALUES ('iso', 'alice only')");
        api.ok(bob, "INSERT INTO chat.messages (thread_id, content) VALUES ('iso', 'bob only')");
        JsonArray a = api.ok(alice, "SELECT content FROM chat.messages WHERE thread_id = 'iso'").rows(0);
        JsonArray b = api.ok(bob, "SELECT content FROM chat.messages WHERE thread_id = 'iso'").rows(0);
        assertEquals(new JsonArray().add(new JsonArray().add("alice only")), a);
        assertEquals(new JsonArray().add(new JsonArray().add("bob only")), b);
        assertEquals(0, api.ok(root, "SELECT * FROM chat.messages WHERE thread_id = 'iso'").result(0)
                .getInteger("row_count"), "admins see only their own rows too");
        assertEquals(0, api.ok(bob, "UPDATE chat.messages SET content = 'hacked' WHERE thread_id = 'iso' "
                + "AND content = 'alice only'").result(0).getInteger("row_count"));
        assertEquals(1, api.ok(root, "EXECUTE AS USER 'alice' (SELECT * FROM chat.messages WHERE thread_id = 'iso')")
                .result(0).getInteger("row_count"), "only through EXECUTE AS USER");
    }

    @Test
    void aPlainUserMayNotExecuteAsAnother() {
        ApiClient.Reply r = api.sql(bob, "EXECUTE AS USER 'alice' (SELECT * FROM chat.messages)");
        assertEquals(403, r.status(), r.body());
        assertEquals("PERMISSION_DENIED", r.errorCode());
        assertTrue(r.errorMessage().contains("EXECUTE AS USER is not authorized"), r.errorMessage());
        assertEquals(new JsonArray(), r.json().getJsonArray("results"));
        assertEquals("error", r.json().getString("status"));
    }

    @Test
    void badRequestsGetClearErrors() {
        ApiClient.Reply badJson = api.post("/v1/api/sql", root, "{\"sql\": ");
        assertEquals(400, badJson.status());
        assertEquals("INVALID_INPUT", badJson.errorCode());

        ApiClient.Reply noToken = api.post("/v1/api/sql", null, "{\"sql\":\"SELECT 1\"}");
        assertEquals(401, noToken.status());
        assertEquals("MISSING_AUTHORIZATION", noToken.errorCode());

        ApiClient.Reply forged = api.post("/v1/api/sql", root.substring(0, root.length() - 3) + "abc",
                "{\"sql\":\"SELECT 1\"}");
        assertEquals(401, forged.status());
        assertEquals("INVALID_CREDENTIALS", forged.errorCode());

        ApiClient.Reply basic = api.post("/v1/api/sql", "Basic cm9vdDpwdw==", "{\"sql\":\"SELECT 1\"}");
        assertEquals(401, basic.status());

        ApiClient.Reply syntax = api.sql(root, "SELECT FROM WHERE");
        assertEquals(400, syntax.status());
        assertEquals("INVALID_SQL", syntax.errorCode());
        assertTrue(syntax.errorMessage().contains("line 1, column"), syntax.errorMessage());

        expect(alice, 400, "TABLE_NOT_FOUND", "table 'chat.missing' not found", "SELECT * FROM chat.missing");
        expect(alice, 400, "COLUMN_NOT_FOUND", "column 'nope' not found in table 'chat.messages'",
                "SELECT nope FROM chat.messages");
        expect(alice, 400, "TYPE_MISMATCH", "column=created_at",
                "INSERT INTO chat.messages (content, created_at) VALUES ('x', true)");
        api.ok(alice, "INSERT INTO chat.messages (id, content) VALUES (424242, 'first')");
        expect(alice, 400, "PRIMARY_KEY_VIOLATION", "Primary key violation",
                "INSERT INTO chat.messages (id, content) VALUES (424242, 'dup')");
        api.ok(root, "CREATE TABLE chat.strict (id INT PRIMARY KEY, name TEXT NOT NULL) WITH (TYPE='USER')");
        expect(alice, 400, "NOT_NULL_VIOLATION", "NOT NULL", "INSERT INTO chat.strict (id) VALUES (1)");
        expect(alice, 400, "INVALID_SQL", "too long", "SELECT '" + "x".repeat(1_100_000) + "'");
        Object[] many = new Object[51];
        java.util.Arrays.fill(many, 1);
        expect(alice, 400, "INVALID_PARAMETER", "parameter limit", "SELECT 1", many);
        expect(alice, 400, "PARAMS_WITH_BATCH", "", "SELECT $1; SELECT 2", 1);
        assertEquals(1, api.ok(alice, "SELECT * FROM chat.messages WHERE id = 424242").result(0)
                .getInteger("row_count"), "the failed statements changed nothing");
        assertEquals(0, api.ok(alice, "SELECT * FROM chat.strict").result(0).getInteger("row_count"));
    }

    @Test
    void aForbiddenStatementStopsTheWholeBatch() {
        api.ok(root, "CREATE TABLE chat.notes (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE='USER')");
        ApiClient.Reply r = api.sql(alice, "INSERT INTO chat.notes (id, body) VALUES (1, 'first'); "
                + "CREATE USER 'x' WITH PASSWORD 'SecurePass123!A' ROLE user; "
                + "INSERT INTO chat.notes (id, body) VALUES (2, 'second')");
        assertEquals(403, r.status(), r.body());
        assertEquals("0", api.ok(alice, "SELECT COUNT(*) FROM chat.notes").rows(0).getJsonArray(0).getValue(0),
                "COUNT is BIGINT, a JSON string; nothing was inserted");
        assertEquals(0, api.ok(root, "SELECT * FROM system.users WHERE user_id = 'x'").result(0)
                .getInteger("row_count"));
        ApiClient.Reply sys = api.sql(alice, "SELECT * FROM system.users");
        assertEquals(403, sys.status());
    }

    @Test
    void showDescribeAndSystemTables() {
        JsonArray ns = api.ok(alice, "SHOW NAMESPACES").rows(0);
        assertTrue(ns.stream().anyMatch(r -> ((JsonArray) r).getString(0).equals("chat")), ns.encode());
        assertTrue(api.ok(alice, "SHOW TABLES IN chat").result(0).getInteger("row_count") >= 1);
        JsonArray cols = api.ok(alice, "DESCRIBE TABLE chat.messages").rows(0);
        assertEquals("id", cols.getJsonArray(0).getString(0));
        assertTrue(api.ok(root, "SELECT * FROM system.columns WHERE table_name = 'messages'").result(0)
                .getInteger("row_count") >= 5);
        assertTrue(api.ok(root, "SELECT * FROM system.tables").result(0).getInteger("row_count") >= 1);
        assertTrue(api.ok(root, "SELECT * FROM system.namespaces").result(0).getInteger("row_count") >= 2);
    }

    @Test
    void truncationIsVisible() {
        api.ok(root, "CREATE TABLE chat.bulk (id INT PRIMARY KEY) WITH (TYPE='USER')");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            values.append(i == 0 ? "" : ",").append('(').append(i).append(')');
        }
        api.ok(alice, "INSERT INTO chat.bulk (id) VALUES " + values);
        JsonObject r = api.ok(alice, "SELECT id FROM chat.bulk").result(0);
        assertEquals(50, r.getInteger("row_count"));
        assertEquals(true, r.getBoolean("truncated"));
        JsonObject full = api.ok(alice, "SELECT id FROM chat.bulk LIMIT 100").result(0);
        assertEquals(60, full.getInteger("row_count"));
        assertFalse(full.containsKey("truncated"));
        assertNotNull(full.getJsonArray("rows"));
    }

    private static void expect(String token, int status, String code, String fragment, String sql,
                               Object... params) {
        ApiClient.Reply r = api.sql(token, sql, params);
        assertEquals(status, r.status(), sql + " -> " + r.body());
        assertEquals(code, r.errorCode(), r.body());
        assertTrue(r.errorMessage().contains(fragment), r.errorMessage() + " should name " + fragment);
    }
}
