package io.kalamdb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SQL surface of issue #2, statement by statement, against a real engine (RocksDB on a temp dir). */
class SqlSurfaceTest {
    private static EngineFixture fx;
    private static final Session ROOT = EngineFixture.ROOT;
    private static final Session U1 = new Session("u1", Role.USER);
    private static final Session U2 = new Session("u2", Role.USER);
    private static final Session SVC = new Session("svc", Role.SERVICE);
    private static final Session DBA = new Session("dba1", Role.DBA);

    @BeforeAll
    static void setUp() {
        fx = new EngineFixture();
        fx.sql(ROOT, "CREATE NAMESPACE app; CREATE NAMESPACE ref");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    private static KalamException error(KalamErrorCode code, String fragment, Session s, String sql,
                                        Object... params) {
        KalamException e = assertThrows(KalamException.class, () -> fx.sql(s, sql, params), sql);
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains(fragment.toLowerCase()),
                "message '" + e.getMessage() + "' should contain '" + fragment + "'");
        return e;
    }

    private static List<Object[]> rows(Session s, String sql, Object... params) {
        return fx.one(s, sql, params).rows();
    }

    @Test
    void everyTypeRoundTrips() {
        fx.sql(ROOT, "CREATE TABLE app.types (id INT PRIMARY KEY, b BOOLEAN, s SMALLINT, i INT, l BIGINT, f FLOAT, "
                + "d DOUBLE, dec DECIMAL(10,2), t TEXT, bin BYTES, j JSON, ts TIMESTAMP, dt DATE, u UUID, tm TIME, "
                + "dtm DATETIME) WITH (TYPE='USER')");
        fx.sql(U1, "INSERT INTO app.types VALUES (1, true, 12, 34, 9007199254740993, 1.5, 2.25, 123.456, 'hi', "
                + "'raw', '{\"a\":[1,2]}', '2024-05-01 10:20:30.123', '2024-05-01', "
                + "'0190a6d4-5c1e-7b3a-9f00-0123456789ab', '10:20:30', '2024-05-01T10:20:30Z')");
        Object[] r = rows(U1, "SELECT id, b, s, i, l, f, d, dec, t, bin, j, ts, dt, u, tm, dtm FROM app.types").get(0);
        assertEquals(1, r[0]);
        assertEquals(true, r[1]);
        assertEquals((short) 12, r[2]);
        assertEquals(34, r[3]);
        assertEquals(9007199254740993L, r[4]);
        assertEquals(1.5f, r[5]);
        assertEquals(2.25d, r[6]);
        assertEquals(new BigDecimal("123.46"), r[7]);
        assertEquals("hi", r[8]);
        assertArrayEquals("raw".getBytes(), (byte[]) r[9]);
        assertEquals("{\"a\":[1,2]}", r[10]);
        assertEquals(1714558830123000L, r[11]);
        assertEquals(19844, r[12]);
        assertEquals("0190a6d4-5c1e-7b3a-9f00-0123456789ab", r[13]);
        assertEquals(37230000000L, r[14]);
        assertEquals(1714558830000000L, r[15]);
        StatementResult typed = fx.one(U1, "SELECT * FROM app.types");
        assertEquals("Json", typed.schema().get(10).type().wireType());
        assertEquals("Uuid", typed.schema().get(13).type().wireType());
        fx.sql(U1, "UPDATE app.types SET t = NULL, j = $1 WHERE id = 1", "[true]");
        Object[] after = rows(U1, "SELECT t, j FROM app.types WHERE id = 1").get(0);
        assertNull(after[0]);
        assertEquals("[true]", after[1]);
    }

    @Test
    void defaultsFillOmittedColumns() {
        fx.sql(ROOT, "CREATE TABLE app.defs (session_id TEXT PRIMARY KEY DEFAULT UUID_V7(), ev TEXT DEFAULT ULID(), "
                + "created_by TEXT DEFAULT CURRENT_USER(), at TIMESTAMP DEFAULT NOW(), n INT DEFAULT 7, "
                + "flag BOOLEAN DEFAULT TRUE, label TEXT DEFAULT 'x') WITH (TYPE='USER')");
        fx.sql(U1, "INSERT INTO app.defs (label) VALUES ('given')");
        Object[] r = rows(U1, "SELECT session_id, ev, created_by, at, n, flag, label FROM app.defs").get(0);
        assertEquals('7', ((String) r[0]).charAt(14), "UUID version 7");
        assertEquals(26, ((String) r[1]).length());
        assertEquals("u1", r[2]);
        assertTrue((Long) r[3] > 0);
        assertEquals(7, r[4]);
        assertEquals(true, r[5]);
        assertEquals("given", r[6]);
        assertEquals("u1", rows(U1, "SELECT CURRENT_USER()").get(0)[0]);
    }

    @Test
    void badInputGetsClearErrorsAndChangesNothing() {
        fx.sql(ROOT, "CREATE TABLE app.strict (id BIGINT PRIMARY KEY, name TEXT NOT NULL, n INT) WITH (TYPE='USER')");
        error(KalamErrorCode.TYPE_MISMATCH, "column=n", U1,
                "INSERT INTO app.strict (id, name, n) VALUES (1, 'a', 'abc')");
        error(KalamErrorCode.NOT_NULL_VIOLATION, "NOT NULL", U1, "INSERT INTO app.strict (id, n) VALUES (1, 2)");
        error(KalamErrorCode.TABLE_NOT_FOUND, "app.nope", U1, "SELECT * FROM app.nope");
        error(KalamErrorCode.COLUMN_NOT_FOUND, "missing_col", U1, "SELECT missing_col FROM app.strict");
        error(KalamErrorCode.COLUMN_NOT_FOUND, "column 'ghost' not found in table 'app.strict'", U1,
                "INSERT INTO app.strict (id, name, ghost) VALUES (1, 'a', 1)");
        KalamException syntax = error(KalamErrorCode.INVALID_SQL, "line 1", U1, "SELECT FROM WHERE app.strict");
        assertTrue(syntax.column() > 0, "syntax errors keep the column");
        error(KalamErrorCode.INVALID_SQL, "Unsupported statement", U1, "SELEC nonsense");
        error(KalamErrorCode.EMPTY_SQL, "No SQL", U1, " ; ;");
        assertEquals(0, fx.one(U1, "SELECT * FROM app.strict").rowCount(), "nothing was written");
    }

    @Test
    void insertValuesTakeTheFastPathOrCalcite() {
        fx.sql(ROOT, "CREATE TABLE app.exprs (id BIGINT PRIMARY KEY, label TEXT, n INT, at TIMESTAMP) WITH (TYPE='USER')");
        fx.sql(U1, "INSERT INTO app.exprs (id, label, n, at) VALUES (-1, 'plain', -2, CURRENT_TIMESTAMP), "
                + "($1, $2, NULL, NOW())", "7", "param");
        fx.sql(U1, "INSERT INTO app.exprs (id, label, n) VALUES (1 + 2, UPPER('calcite') || '!', 2 * 21)");
        List<Object[]> r = rows(U1, "SELECT id, label, n FROM app.exprs ORDER BY id");
        assertEquals(List.of(-1L, 3L, 7L), r.stream().map(x -> x[0]).toList());
        assertEquals("CALCITE!", r.get(1)[1]);
        assertEquals(42, r.get(1)[2]);
        assertEquals(-2, r.get(0)[2]);
        assertEquals("param", r.get(2)[1]);
        error(KalamErrorCode.INVALID_PARAMETER, "$3", U1, "INSERT INTO app.exprs (id) VALUES ($3)", 1);
    }

    @Test
    void longStatementsAreNotCachedButStillRun() {
        String big = "x".repeat(20_000);
        for (int i = 0; i < 2; i++) {
            List<Object[]> r = rows(U1, "SELECT '" + big + "' AS v, " + i + " AS n");
            assertEquals(big, r.get(0)[0]);
            assertEquals(i, r.get(0)[1]);
        }
    }

    @Test
    void parameterLimits() {
        fx.sql(ROOT, "CREATE TABLE app.params (id BIGINT PRIMARY KEY, name TEXT, age INT) WITH (TYPE='USER')");
        assertEquals(1, fx.one(U1, "INSERT INTO app.params (id, name, age) VALUES ($1, $2, $3)", "1", "Alice", 30)
                .rowCount());
        fx.sql(U1, "UPDATE app.params SET name = $1, age = $2 WHERE id = $3", "Alice Updated", 31, 1);
        Object[] r = rows(U1, "SELECT name, age FROM app.params WHERE id = $1", 1).get(0);
        assertEquals("Alice Updated", r[0]);
        assertEquals(31, r[1]);
        Object[] many = new Object[51];
        java.util.Arrays.fill(many, 1);
        error(KalamErrorCode.INVALID_PARAMETER, "parameter limit", U1, "SELECT $1", many);
        error(KalamErrorCode.INVALID_PARAMETER, "512", U1, "SELECT $1", "x".repeat(600 * 1024));
        error(KalamErrorCode.INVALID_PARAMETER, "Array", U1, "SELECT $1", List.of(1, 2));
        error(KalamErrorCode.PARAMS_WITH_BATCH, "batch", U1, "SELECT $1; SELECT 1", 1);
        error(KalamErrorCode.INVALID_PARAMETER, "$2", U1, "SELECT $2", 1);
        error(KalamErrorCode.INVALID_SQL, "too long", U1, "SELECT '" + "x".repeat(1_048_577) + "'");
    }

    @Test
    void batchIsAuthorisedAsAWhole() {
        fx.sql(ROOT, "CREATE TABLE app.notes (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE='USER')");
        error(KalamErrorCode.PERMISSION_DENIED, "Statement 2 failed", U1,
                "INSERT INTO app.notes (id, body) VALUES (1, 'first'); "
                        + "CREATE USER 'x' WITH PASSWORD 'SecurePass123!A' ROLE user; "
                        + "INSERT INTO app.notes (id, body) VALUES (2, 'second')");
        assertEquals(0, fx.one(U1, "SELECT * FROM app.notes").rowCount());
        assertFalse(fx.engine().users().find("x").isPresent());
        error(KalamErrorCode.PERMISSION_DENIED, "", U1, "SELECT 1; SELECT * FROM system.users");
        List<StatementResult> batch = fx.sql(U1, "INSERT INTO app.notes (id, body) VALUES (1, 'a'); "
                + "INSERT INTO app.notes (id, body) VALUES (2, 'b'); SELECT COUNT(*) AS n FROM app.notes");
        assertEquals(2, batch.size());
        assertEquals(2L, batch.get(0).rows().get(0)[0]);
        assertEquals("Inserted 2 row(s)", batch.get(1).message());
    }

    @Test
    void systemTablesAreAdminOnlyEvenWhenHidden() {
        for (String sql : List.of("SELECT * FROM system.users", "SELECT * FROM (SELECT * FROM system.users) u",
                "WITH u AS (SELECT * FROM system.users) SELECT * FROM u",
                "SELECT 1 UNION SELECT 2 FROM system.users",
                "SELECT (SELECT COUNT(*) FROM system.users)", "EXPLAIN SELECT * FROM system.users",
                "SELECT * FROM system.users TABLESAMPLE BERNOULLI(100)", "SELECT * FROM system.users /*+ i(x) */",
                "TABLE system.users", "SELECT 1 FROM (VALUES (1)) v (x) WHERE EXISTS (TABLE system.users)",
                "SELECT * FROM (SELECT user_id FROM system.users) UNPIVOT (v FOR c IN (user_id))",
                "WITH users AS (SELECT * FROM system.users) SELECT * FROM users")) {
            error(KalamErrorCode.PERMISSION_DENIED, "", U1, sql);
            error(KalamErrorCode.PERMISSION_DENIED, "", SVC, sql);
        }
        assertTrue(fx.one(ROOT, "SELECT user_id, role FROM system.users").rowCount() >= 1);
        for (Object[] row : rows(ROOT, "SELECT password_hash FROM system.users WHERE password_hash IS NOT NULL")) {
            assertEquals("********", row[0], "the hash is masked for admins too");
        }
        assertEquals(0, rows(DBA, "SELECT * FROM system.users WHERE password_hash LIKE '$2%'").size());
        assertTrue(fx.one(DBA, "SELECT * FROM system.namespaces").rowCount() >= 3);
        fx.one(ROOT, "SELECT * FROM system.tables");
        fx.one(ROOT, "SELECT * FROM system.columns");
        error(KalamErrorCode.PERMISSION_DENIED, "system", ROOT, "INSERT INTO system.users (user_id) VALUES ('x')");
    }

    @Test
    void sharedTablesFollowAccessLevels() {
        fx.sql(SVC, "CREATE TABLE ref.plans (id TEXT PRIMARY KEY, price INT) WITH (TYPE='SHARED', ACCESS_LEVEL='public')");
        fx.sql(SVC, "INSERT INTO ref.plans (id, price) VALUES ('basic', 10), ('pro', 30)");
        assertEquals(2, fx.one(U1, "SELECT * FROM ref.plans").rowCount());
        error(KalamErrorCode.PERMISSION_DENIED, "access denied", U1, "INSERT INTO ref.plans (id) VALUES ('x')");
        error(KalamErrorCode.PERMISSION_DENIED, "access denied", U1, "UPDATE ref.plans SET price = 1");
        fx.sql(ROOT, "CREATE TABLE ref.secret (id TEXT PRIMARY KEY) WITH (TYPE='SHARED')");
        error(KalamErrorCode.PERMISSION_DENIED, "access denied", U1, "SELECT * FROM ref.secret");
        fx.one(SVC, "SELECT * FROM ref.secret");
        assertEquals("private", rows(ROOT, "SELECT access_level FROM system.schemas WHERE table_id = 'ref:secret'")
                .get(0)[0]);
        error(KalamErrorCode.PERMISSION_DENIED, "", U1, "ALTER TABLE ref.secret SET ACCESS LEVEL public");
        fx.sql(DBA, "ALTER TABLE ref.secret SET ACCESS LEVEL public");
        fx.one(U1, "SELECT * FROM ref.secret");
        error(KalamErrorCode.OPERATION_NOT_ALLOWED, "SHARED tables", DBA,
                "EXECUTE AS USER 'u1' (INSERT INTO ref.plans (id) VALUES ('x'))");
        error(KalamErrorCode.PERMISSION_DENIED, "shared", U1,
                "CREATE TABLE app.mine (id INT PRIMARY KEY) WITH (TYPE='SHARED')");
        error(KalamErrorCode.INVALID_OPTION, "ACCESS_LEVEL", ROOT,
                "CREATE TABLE app.bad (id INT PRIMARY KEY) WITH (TYPE='USER', ACCESS_LEVEL='public')");
    }

    @Test
    void joinsAggregatesSubqueriesAndOrdering() {
        fx.sql(ROOT, "CREATE TABLE app.orders (id BIGINT PRIMARY KEY, plan TEXT, qty INT) WITH (TYPE='USER')");
        fx.sql(ROOT, "CREATE TABLE ref.prices (plan TEXT PRIMARY KEY, price INT) WITH (TYPE='SHARED', "
                + "ACCESS_LEVEL='public')");
        fx.sql(ROOT, "INSERT INTO ref.prices (plan, price) VALUES ('a', 10), ('b', 20)");
        fx.sql(U1, "INSERT INTO app.orders (id, plan, qty) VALUES (1, 'a', 1), (2, 'b', 2), (3, 'a', 3)");
        fx.sql(U2, "INSERT INTO app.orders (id, plan, qty) VALUES (1, 'b', 100)");
        List<Object[]> totals = rows(U1, "SELECT o.plan, SUM(o.qty * p.price) AS total, COUNT(*) AS n "
                + "FROM app.orders o JOIN ref.prices p ON o.plan = p.plan GROUP BY o.plan ORDER BY o.plan");
        assertEquals(2, totals.size());
        assertEquals("a", totals.get(0)[0]);
        assertEquals(40L, ((Number) totals.get(0)[1]).longValue());
        assertEquals(40L, ((Number) totals.get(1)[1]).longValue());
        assertEquals(2000L, ((Number) rows(U2, "SELECT SUM(o.qty * p.price) FROM app.orders o JOIN ref.prices p "
                + "ON o.plan = p.plan").get(0)[0]).longValue());
        List<Object[]> sub = rows(U1, "SELECT id FROM app.orders WHERE plan IN (SELECT plan FROM ref.prices "
                + "WHERE price > 15) ORDER BY id");
        assertEquals(1, sub.size());
        List<Object[]> paged = rows(U1, "SELECT id FROM app.orders ORDER BY id DESC LIMIT 2 OFFSET 1");
        assertEquals(List.of(2L, 1L), paged.stream().map(r -> r[0]).toList());
        List<Object[]> defaultOrder = rows(U1, "SELECT id FROM app.orders");
        assertEquals(List.of(1L, 2L, 3L), defaultOrder.stream().map(r -> r[0]).toList(), "primary-key order");
    }

    @Test
    void defaultLimitTruncatesVisibly() {
        fx.sql(ROOT, "CREATE TABLE app.many (id INT PRIMARY KEY) WITH (TYPE='USER')");
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            values.add("(" + i + ")");
        }
        fx.sql(U1, "INSERT INTO app.many (id) VALUES " + String.join(", ", values));
        StatementResult r = fx.one(U1, "SELECT * FROM app.many");
        assertEquals(50, r.rowCount());
        assertTrue(r.truncated());
        StatementResult all = fx.one(U1, "SELECT * FROM app.many LIMIT 100");
        assertEquals(60, all.rowCount());
        assertFalse(all.truncated());
    }

    @Test
    void transactionsAreAllOrNothing() {
        fx.sql(ROOT, "CREATE TABLE app.tx (id BIGINT PRIMARY KEY, name TEXT) WITH (TYPE='SHARED')");
        fx.sql(ROOT, "BEGIN; INSERT INTO app.tx (id, name) VALUES (3001, 'a'); INSERT INTO app.tx (id, name) "
                + "VALUES (3002, 'b'); COMMIT;");
        fx.sql(ROOT, "BEGIN; INSERT INTO app.tx (id, name) VALUES (3010, 'kept'); COMMIT; BEGIN; "
                + "INSERT INTO app.tx (id, name) VALUES (3011, 'dropped'); ROLLBACK;");
        error(KalamErrorCode.COLUMN_NOT_FOUND, "missing_col", ROOT, "BEGIN; INSERT INTO app.tx (id, name) VALUES "
                + "(3003, 'ok'); INSERT INTO app.tx (id, missing_col) VALUES (3004, 'bad'); COMMIT;");
        error(KalamErrorCode.OPERATION_NOT_ALLOWED, "open explicit transaction", ROOT,
                "BEGIN; INSERT INTO app.tx (id, name) VALUES (3012, 'orphaned');");
        assertEquals(List.of(3001L, 3002L, 3010L), rows(ROOT, "SELECT id FROM app.tx ORDER BY id").stream()
                .map(r -> r[0]).toList());
    }

    @Test
    void createTableRules() {
        error(KalamErrorCode.INVALID_DEFINITION, "primary key", ROOT,
                "CREATE TABLE app.nokey (id INT, name TEXT) WITH (TYPE='USER')");
        error(KalamErrorCode.INVALID_OPTION, "TTL_SECONDS", ROOT,
                "CREATE TABLE app.ev (id INT PRIMARY KEY) WITH (TYPE='STREAM')");
        error(KalamErrorCode.RESERVED_NAME, "reserved", ROOT,
                "CREATE TABLE app.r (_seq TEXT PRIMARY KEY) WITH (TYPE='USER')");
        error(KalamErrorCode.NAMESPACE_NOT_FOUND, "Create it first with CREATE NAMESPACE ghost", ROOT,
                "CREATE TABLE ghost.t (id INT PRIMARY KEY) WITH (TYPE='USER')");
        error(KalamErrorCode.INVALID_OPTION, "Unknown table option", ROOT,
                "CREATE TABLE app.o (id INT PRIMARY KEY) WITH (TYPE='USER', COLOR='blue')");
        error(KalamErrorCode.RESERVED_NAME, "reserved", ROOT, "CREATE NAMESPACE system");
        fx.sql(ROOT, "CREATE TABLE app.dup (id INT PRIMARY KEY) WITH (TYPE='USER')");
        error(KalamErrorCode.TABLE_EXISTS, "already exists", ROOT,
                "CREATE TABLE app.dup (id INT PRIMARY KEY) WITH (TYPE='USER')");
        assertTrue(fx.one(ROOT, "CREATE TABLE IF NOT EXISTS app.dup (id INT PRIMARY KEY) WITH (TYPE='USER')")
                .message().contains("already exists"));
        fx.sql(ROOT, "CREATE TABLE app.ev2 (id BIGINT PRIMARY KEY DEFAULT SNOWFLAKE_ID(), kind TEXT) "
                + "WITH (TYPE='STREAM', TTL_SECONDS=3600)");
        fx.sql(U1, "INSERT INTO app.ev2 (kind) VALUES ('typing')");
        assertEquals(1, fx.one(U1, "SELECT * FROM app.ev2").rowCount());
        assertEquals(0, fx.one(U2, "SELECT * FROM app.ev2").rowCount());
    }

    @Test
    void alterTableEvolvesRows() {
        fx.sql(ROOT, "CREATE TABLE app.products (id TEXT PRIMARY KEY, customer_name TEXT, warehouse TEXT) "
                + "WITH (TYPE='USER')");
        fx.sql(U1, "INSERT INTO app.products (id, customer_name, warehouse) VALUES ('p1', 'c', 'w')");
        fx.sql(ROOT, "ALTER TABLE app.products ADD COLUMN stock INT");
        Object[] r = rows(U1, "SELECT id, customer_name, stock FROM app.products").get(0);
        assertEquals("c", r[1]);
        assertNull(r[2]);
        fx.sql(ROOT, "ALTER TABLE app.products DROP COLUMN warehouse");
        fx.sql(ROOT, "ALTER TABLE app.products RENAME COLUMN customer_name TO name");
        StatementResult d = fx.one(U1, "DESCRIBE TABLE app.products");
        List<Object> names = d.rows().stream().map(x -> x[0]).toList();
        assertTrue(names.contains("name") && !names.contains("customer_name") && !names.contains("warehouse"));
        assertEquals("c", rows(U1, "SELECT name FROM app.products").get(0)[0]);
        error(KalamErrorCode.OPERATION_NOT_ALLOWED, "not null", ROOT,
                "ALTER TABLE app.products ADD COLUMN required_field TEXT NOT NULL");
        error(KalamErrorCode.OPERATION_NOT_ALLOWED, "system column", ROOT, "ALTER TABLE app.products DROP COLUMN _deleted");
    }

    @Test
    void showAndDescribe() {
        List<Object> ns = rows(U1, "SHOW NAMESPACES").stream().map(r -> r[0]).toList();
        assertTrue(ns.containsAll(List.of("app", "default", "ref")), ns.toString());
        fx.sql(ROOT, "CREATE TABLE app.shown (id INT PRIMARY KEY) WITH (TYPE='USER')");
        assertTrue(rows(U1, "SHOW TABLES IN app").stream().anyMatch(r -> "shown".equals(r[1])));
        StatementResult d = fx.one(U1, "DESCRIBE TABLE app.shown");
        assertEquals("column_name", d.schema().get(0).name());
        assertEquals(Collections.nCopies(1, "id"), d.rows().subList(0, 1).stream().map(r -> r[0]).toList());
    }

    @Test
    void usersAndRoles() {
        error(KalamErrorCode.PERMISSION_DENIED, "Admin privileges", U1, "CREATE NAMESPACE x1");
        error(KalamErrorCode.PERMISSION_DENIED, "Admin privileges", SVC, "CREATE USER 'z' WITH PASSWORD 'StrongPass123!'");
        fx.sql(DBA, "CREATE USER 'svc1' WITH PASSWORD 'StrongPass123!' ROLE service");
        error(KalamErrorCode.PERMISSION_DENIED, "system", DBA, "ALTER USER 'svc1' SET ROLE system");
        fx.sql(DBA, "ALTER USER 'svc1' SET ROLE dba");
        assertEquals("dba", rows(ROOT, "SELECT role FROM system.users WHERE user_id = 'svc1'").get(0)[0]);
        error(KalamErrorCode.USER_EXISTS, "already exists", ROOT,
                "CREATE USER 'svc1' WITH PASSWORD 'StrongPass123!'");
        error(KalamErrorCode.WEAK_PASSWORD, "Weak password", ROOT, "CREATE USER 'w' WITH PASSWORD 'password'");
        fx.sql(ROOT, "DROP USER 'svc1'");
        assertFalse(fx.engine().users().find("svc1").isPresent());
        assertTrue(fx.one(ROOT, "DROP USER IF EXISTS 'nobody'").message().contains("skipped"));
        error(KalamErrorCode.PERMISSION_DENIED, "DROP TABLE", SVC, "DROP TABLE app.anything");
    }

    @Test
    void dropNamespaceDropsItsTables() {
        fx.sql(ROOT, "CREATE NAMESPACE gone; CREATE TABLE gone.t (id INT PRIMARY KEY) WITH (TYPE='USER')");
        fx.sql(U1, "INSERT INTO gone.t (id) VALUES (1)");
        fx.sql(ROOT, "DROP NAMESPACE gone CASCADE");
        error(KalamErrorCode.TABLE_NOT_FOUND, "gone.t", U1, "SELECT * FROM gone.t");
        fx.sql(ROOT, "CREATE NAMESPACE gone; CREATE TABLE gone.t (id INT PRIMARY KEY) WITH (TYPE='USER')");
        assertEquals(0, fx.one(U1, "SELECT * FROM gone.t").rowCount(), "no rows survive a drop");
    }
}
