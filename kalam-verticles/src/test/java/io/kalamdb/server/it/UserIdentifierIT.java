package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.server.Futures;
import io.kalamdb.server.KalamServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Identifiers with NUL and other control characters, path separators and the like, through the real server: a
 * clear 400 naming the identifier (escaped), and nothing created.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UserIdentifierIT {
    private static final String ROOT_PASSWORD = SqlApiIT.ROOT_PASSWORD;
    /** User names that must be refused: NUL, other C0 controls, DEL, a C1 control, separators, dot names. */
    private static final List<String> BAD_USER_NAMES = List.of("a\u0000b", "\u0000", "bell\u0007", "line\nbreak",
            "del\u007f", "nel\u0085", "a/b", "..", "back\\slash");

    private static KalamServer server;
    private static ApiClient api;
    private static String root;

    @BeforeAll
    static void start() throws Exception {
        server = Futures.await(KalamServer.start(SqlApiIT.config(Files.createTempDirectory("kalam-ids"),
                Map.of("server.engine_workers", "4"))));
        api = new ApiClient(server.baseUrl());
        root = api.login("root", ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE app");
        api.ok(root, "CREATE TABLE app.notes (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE='USER')");
        api.ok(root, "CREATE TOPIC app.events");
        api.ok(root, "CREATE USER 'good' WITH PASSWORD 'GoodPass123!' ROLE service");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void createUserRefusesControlCharactersAndSeparatorsAndCreatesNothing() {
        List<String> before = userIds();
        for (String bad : BAD_USER_NAMES) {
            ApiClient.Reply r = api.sql(root, "CREATE USER '" + bad + "' WITH PASSWORD 'SomePass123!' ROLE user");
            assertEquals(400, r.status(), escape(bad) + " -> " + r.body());
            assertEquals("INVALID_INPUT", r.errorCode(), r.body());
            assertTrue(r.errorMessage().contains("invalid user name"), r.errorMessage());
            assertNoRawControlCharacters(r.errorMessage());
        }
        ApiClient.Reply nul = api.sql(root, "CREATE USER 'a\u0000b' WITH PASSWORD 'SomePass123!'");
        assertTrue(nul.errorMessage().contains("'a\\u0000b'"), "the name is shown escaped: " + nul.errorMessage());
        assertEquals(before, userIds(), "no user was created");
    }

    @Test
    void alterDropAndExecuteAsRefuseBadUserNames() {
        for (String sql : List.of("ALTER USER 'go\u0000od' SET EMAIL 'x@example.com'", "DROP USER 'go\u0000od'",
                "DROP USER IF EXISTS 'go\u0001od'",
                "EXECUTE AS USER 'good\u0000' (SELECT * FROM app.notes)",
                "EXECUTE AS USER 'a\u0000b' (INSERT INTO app.notes (id, body) VALUES (1, 'x'))")) {
            ApiClient.Reply r = api.sql(root, sql);
            assertEquals(400, r.status(), escape(sql) + " -> " + r.body());
            assertEquals("INVALID_INPUT", r.errorCode(), r.body());
            assertTrue(r.errorMessage().contains("invalid user name"), r.errorMessage());
        }
        // the real user is untouched and nobody got a row
        assertEquals(200, api.sql(api.login("good", "GoodPass123!"), "SELECT * FROM app.notes").status());
        assertEquals(0, api.ok(root, "EXECUTE AS USER 'good' (SELECT * FROM app.notes)").rows(0).size());
    }

    @Test
    void loginRefusesBadUserNamesWith400() {
        for (String bad : BAD_USER_NAMES) {
            ApiClient.Reply r = api.post("/v1/api/auth/login", null,
                    new JsonObject().put("user", bad).put("password", "SomePass123!").encode());
            assertEquals(400, r.status(), escape(bad) + " -> " + r.body());
            assertTrue(r.json().getString("message").contains("invalid user name"), r.body());
            assertNoRawControlCharacters(r.json().getString("message"));
        }
    }

    @Test
    void namespaceTableAndColumnNamesRefuseControlCharacters() {
        for (String sql : List.of("CREATE NAMESPACE \"a\u0000b\"", "CREATE NAMESPACE 'a\u0001b'",
                "CREATE TABLE app.\"t\u0000x\" (id BIGINT PRIMARY KEY) WITH (TYPE='USER')",
                "CREATE TABLE \"app\u0000\".t2 (id BIGINT PRIMARY KEY) WITH (TYPE='USER')",
                "CREATE TABLE app.t3 (\"i\u0000d\" BIGINT PRIMARY KEY) WITH (TYPE='USER')",
                "CREATE TOPIC app.\"ev\u0000\"")) {
            ApiClient.Reply r = api.sql(root, sql);
            assertEquals(400, r.status(), escape(sql) + " -> " + r.body());
            assertNoRawControlCharacters(r.errorMessage());
        }
        JsonArray namespaces = api.ok(root, "SELECT namespace_id FROM system.namespaces").rows(0);
        for (Object row : namespaces) {
            assertFalse(String.valueOf(row).contains("\u0000") || String.valueOf(row).contains("\u0001"),
                    String.valueOf(row));
        }
        JsonArray tables = api.ok(root, "SELECT table_name FROM system.tables").rows(0);
        for (Object row : tables) {
            String name = String.valueOf(row);
            assertFalse(name.contains("\u0000") || name.contains("t2") || name.contains("t3"), name);
        }
    }

    @Test
    void consumerGroupNamesRefuseControlCharacters() {
        String service = api.login("good", "GoodPass123!");
        ApiClient.Reply sql = api.sql(service, "CONSUME FROM app.events GROUP 'g\u0000h' FROM EARLIEST LIMIT 1");
        assertEquals(400, sql.status(), sql.body());
        assertTrue(sql.errorMessage().contains("invalid consumer group name 'g\\u0000h'"), sql.errorMessage());
        ApiClient.Reply http = api.post("/v1/api/topics/consume", service, new JsonObject()
                .put("topic_id", "app.events").put("group_id", "g\u0001").put("start", "earliest").encode());
        assertEquals(400, http.status(), http.body());
        assertEquals(200, api.sql(service, "CONSUME FROM app.events GROUP 'fine' FROM EARLIEST LIMIT 1").status());
    }

    private static List<String> userIds() {
        List<String> ids = new ArrayList<>();
        for (Object row : api.ok(root, "SELECT user_id FROM system.users").rows(0)) {
            ids.add(((JsonArray) row).getString(0));
        }
        ids.sort(String::compareTo);
        return ids;
    }

    private static void assertNoRawControlCharacters(String message) {
        for (char c : message.toCharArray()) {
            assertFalse(Character.isISOControl(c), "raw control character in: " + escape(message));
        }
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
