package io.kalamdb.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.error.ErrorText;
import io.kalamdb.server.KalamServer;

import java.nio.file.Files;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The common mistakes of a SQL user, made over HTTP against the real server: each gets its own error code (not the
 * catch-all {@code SQL_EXECUTION_ERROR}), the reference's HTTP status, and a message that names the object, for an
 * admin and for a regular user alike; what a regular user may not do is refused the same way whether the object
 * exists or not.
 */
class ErrorCodesIT {
    private static KalamServer server;
    private static ApiClient api;
    private static String root;
    private static String erin;

    @BeforeAll
    static void start() throws Exception {
        server = io.kalamdb.server.Futures.await(KalamServer.start(SqlApiIT.config(
                Files.createTempDirectory("kalam-errors"), Map.of("rate_limit.max_queries_per_sec", "0"))));
        api = new ApiClient(server.baseUrl());
        root = api.login("root", SqlApiIT.ROOT_PASSWORD);
        api.ok(root, "CREATE NAMESPACE errs");
        api.ok(root, "CREATE TABLE errs.items (id INT PRIMARY KEY, name TEXT NOT NULL, n INT) WITH (TYPE='USER')");
        api.ok(root, "CREATE TOPIC errs.events");
        api.ok(root, "CREATE USER 'erin' WITH PASSWORD 'ErinPass123!' ROLE user");
        erin = api.login("erin", "ErinPass123!");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anUnknownTableIsTableNotFoundNamingIt() {
        for (String token : new String[] {root, erin}) {
            expect(token, "TABLE_NOT_FOUND", "table 'errs.nope' not found", "SELECT * FROM errs.nope");
            expect(token, "TABLE_NOT_FOUND", "table 'errs.nope' not found", "INSERT INTO errs.nope (id) VALUES (1)");
            expect(token, "TABLE_NOT_FOUND", "table 'ghost.t' not found", "SELECT * FROM ghost.t");
        }
        expect(root, "TABLE_NOT_FOUND", "table 'errs.nope' not found", "DROP TABLE errs.nope");
        expect(root, "TABLE_NOT_FOUND", "table 'errs.nope' not found", "ALTER TABLE errs.nope ADD COLUMN x TEXT");
    }

    @Test
    void anUnknownNamespaceIsNamespaceNotFoundNamingIt() {
        expect(root, "NAMESPACE_NOT_FOUND",
                "Namespace 'ghost' does not exist. Create it first with CREATE NAMESPACE ghost",
                "CREATE TABLE ghost.t (id INT PRIMARY KEY) WITH (TYPE='USER')");
        expect(root, "NAMESPACE_NOT_FOUND", "Namespace 'ghost' not found", "DROP NAMESPACE ghost");
        expect(root, "NAMESPACE_NOT_FOUND", "Namespace 'ghost' not found", "SHOW TABLES IN ghost");
        expect(root, "NAMESPACE_NOT_FOUND", "Namespace 'ghost' does not exist", "CREATE TOPIC ghost.t");
    }

    @Test
    void anUnknownColumnIsColumnNotFoundNamingColumnAndTable() {
        for (String token : new String[] {root, erin}) {
            expect(token, "COLUMN_NOT_FOUND", "column 'nope' not found in table 'errs.items'",
                    "SELECT nope FROM errs.items");
            expect(token, "COLUMN_NOT_FOUND", "column 'nope' not found in table 'errs.items'",
                    "SELECT id FROM errs.items WHERE nope = 1");
            expect(token, "COLUMN_NOT_FOUND", "column 'ghost' not found in table 'errs.items'",
                    "INSERT INTO errs.items (id, name, ghost) VALUES (1, 'a', 1)");
            expect(token, "COLUMN_NOT_FOUND", "column 'ghost' not found in table 'errs.items'",
                    "UPDATE errs.items SET ghost = 1 WHERE id = 1");
        }
        expect(root, "COLUMN_NOT_FOUND", "column 'ghost' not found in table 'errs.items'",
                "ALTER TABLE errs.items DROP COLUMN ghost");
    }

    @Test
    void whatExistsAlreadyIsNamedWithItsOwnCode() {
        expect(root, "NAMESPACE_EXISTS", "Namespace 'errs' already exists", "CREATE NAMESPACE errs");
        expect(root, "TABLE_EXISTS", "Table errs.items already exists",
                "CREATE TABLE errs.items (id INT PRIMARY KEY) WITH (TYPE='USER')");
        expect(root, "COLUMN_EXISTS", "column already exists [column=name]",
                "ALTER TABLE errs.items ADD COLUMN name TEXT");
        expect(root, "TOPIC_EXISTS", "Topic 'errs.events' already exists", "CREATE TOPIC errs.events");
        expect(root, "USER_EXISTS", "User 'erin' already exists", "CREATE USER 'erin' WITH PASSWORD 'ErinPass123!'");
    }

    @Test
    void constraintsAndTypesAreNamedWithTheirCode() {
        for (String token : new String[] {root, erin}) {
            api.ok(token, "INSERT INTO errs.items (id, name) VALUES (7, 'first')");
            expect(token, "PRIMARY_KEY_VIOLATION", "Primary key violation: value '7' already exists in column 'id'",
                    "INSERT INTO errs.items (id, name) VALUES (7, 'again')");
            expect(token, "PRIMARY_KEY_VIOLATION", "column 'id'",
                    "INSERT INTO errs.items (id, name) VALUES (8, 'a'), (8, 'b')");
            expect(token, "NOT_NULL_VIOLATION", "column 'name' cannot be null [table=errs.items]",
                    "INSERT INTO errs.items (id) VALUES (9)");
            expect(token, "TYPE_MISMATCH", "column=n", "INSERT INTO errs.items (id, name, n) VALUES (10, 'x', 'abc')");
            assertEquals(1, api.ok(token, "SELECT * FROM errs.items").rows(0).size(),
                    "the failed statements wrote nothing");
        }
    }

    @Test
    void badOptionsAreInvalidOption() {
        expect(root, "INVALID_OPTION", "Unknown table option 'COLOR'",
                "CREATE TABLE errs.o (id INT PRIMARY KEY) WITH (TYPE='USER', COLOR='blue')");
        expect(root, "INVALID_OPTION", "TTL_SECONDS",
                "CREATE TABLE errs.s (id INT PRIMARY KEY) WITH (TYPE='STREAM', TTL_SECONDS='soon')");
        expect(root, "INVALID_OPTION", "retention_days", "CREATE TOPIC errs.t2 WITH (retention_days = 1)");
        expect(root, "INVALID_OPTION", "LIMIT", "CONSUME FROM errs.events LIMIT -1");
        expect(root, "INVALID_OPTION", "Invalid role 'emperor'",
                "CREATE USER 'x1' WITH PASSWORD 'X1Pass123!' ROLE emperor");
        expect(erin, "INVALID_OPTION", "LIMIT", "SELECT * FROM errs.items LIMIT 99999999999999999999");
    }

    @Test
    void anUnknownTopicIsTopicNotFoundNamingIt() {
        expect(root, "TOPIC_NOT_FOUND", "Topic 'errs.nope' does not exist", "CONSUME FROM errs.nope LIMIT 1");
        expect(root, "TOPIC_NOT_FOUND", "Topic 'errs.nope' does not exist", "DROP TOPIC errs.nope");
        // the topic endpoints keep their reference answer: 404 NOT_FOUND
        ApiClient.Reply consume = api.post("/v1/api/topics/consume", root,
                "{\"topic_id\":\"errs.nope\",\"group_id\":\"g\",\"limit\":1}");
        assertEquals(404, consume.status(), consume.body());
        assertEquals("NOT_FOUND", consume.json().getString("code"), consume.body());
    }

    @Test
    void anUnknownUserIsUserNotFoundNamingIt() {
        expect(root, "USER_NOT_FOUND", "User 'ghost' not found", "ALTER USER 'ghost' SET ROLE dba");
        expect(root, "USER_NOT_FOUND", "User 'ghost' not found", "DROP USER 'ghost'");
    }

    @Test
    void whatTheObjectsStateForbidsIsOperationNotAllowed() {
        expect(root, "OPERATION_NOT_ALLOWED", "root", "DROP USER 'root'");
        expect(root, "OPERATION_NOT_ALLOWED", "default namespace", "DROP NAMESPACE default");
        expect(root, "RESERVED_NAME", "reserved", "CREATE NAMESPACE system");
        expect(root, "OPERATION_NOT_ALLOWED", "no transaction is open", "COMMIT");
    }

    @Test
    void aRegularUserCannotProbeWhatAnAdminStatementWouldFind() {
        // refused before the object is looked up: the same answer whether it exists or not
        for (String[] pair : new String[][] {{"DROP USER 'ghost'", "DROP USER 'root'"},
            {"DROP NAMESPACE ghost", "DROP NAMESPACE errs"}, {"DROP TOPIC errs.nope", "DROP TOPIC errs.events"}}) {
            ApiClient.Reply missing = api.sql(erin, pair[0]);
            ApiClient.Reply existing = api.sql(erin, pair[1]);
            assertEquals(403, missing.status(), missing.body());
            assertEquals("PERMISSION_DENIED", missing.errorCode(), missing.body());
            assertEquals(missing.status(), existing.status(), existing.body());
            assertEquals(missing.errorCode(), existing.errorCode(), existing.body());
        }
    }

    /** Asserts the 400 answer of {@code sql} for {@code token}: the code, and a message containing {@code text}. */
    private static void expect(String token, String code, String text, String sql) {
        ApiClient.Reply r = api.sql(token, sql);
        assertEquals(400, r.status(), sql + " -> " + r.body());
        assertEquals(code, r.errorCode(), sql + " -> " + r.body());
        assertTrue(r.errorMessage().contains(text), sql + " -> '" + r.errorMessage() + "' should contain '" + text
                + "'");
        assertFalse(ErrorText.looksInternal(r.errorMessage()), r.errorMessage());
        assertFalse(r.errorMessage().contains("SQL_EXECUTION_ERROR"), r.errorMessage());
    }
}
