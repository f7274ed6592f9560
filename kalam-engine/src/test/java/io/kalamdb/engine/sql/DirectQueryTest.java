package io.kalamdb.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.auth.Role;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direct path for simple queries must answer exactly as Calcite does. Each query runs twice: as written
 * (direct path) and with a tautology Calcite must evaluate ({@code 1 = 1}), which forces the general planner.
 */
class DirectQueryTest {
    private static final Session U1 = new Session("u1", Role.USER);
    private static EngineFixture fx;
    private static long seed;

    @BeforeAll
    static void load() {
        seed = Long.getLong("test.seed", System.nanoTime());
        System.out.println("DirectQueryTest seed=" + seed + " (rerun with -Dtest.seed=" + seed + ")");
        Random random = new Random(seed);
        fx = new EngineFixture();
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE d; CREATE TABLE d.m (id BIGINT PRIMARY KEY, thread TEXT, "
                + "n INT, at TIMESTAMP) WITH (TYPE='USER')");
        List<String> values = new ArrayList<>();
        java.util.Set<Integer> ids = new java.util.LinkedHashSet<>();
        while (ids.size() < 300) {
            ids.add(random.nextInt(1_000_000));
        }
        java.util.Iterator<Integer> id = ids.iterator();
        for (int i = 0; i < 300; i++) {
            String n = random.nextInt(10) == 0 ? "NULL" : String.valueOf(random.nextInt(20) - 5);
            values.add("(" + id.next() + ", 't" + random.nextInt(5) + "', " + n + ", "
                    + (1_700_000_000_000_000L + random.nextInt(1_000_000) * 1000L) + ")");
        }
        fx.sql(U1, "INSERT INTO d.m (id, thread, n, at) VALUES " + String.join(", ", values));
        fx.sql(U1, "DELETE FROM d.m WHERE n = 3");
        fx.sql(new Session("u2", Role.USER), "INSERT INTO d.m (id, thread, n) VALUES (1, 't1', 1)");
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    private static void same(String where, String tail, String select) {
        String direct = "SELECT " + select + " FROM d.m" + (where.isEmpty() ? "" : " WHERE " + where) + tail;
        String calcite = "SELECT " + select + " FROM d.m WHERE " + (where.isEmpty() ? "" : where + " AND ")
                + "1 = 1" + tail;
        StatementResult a = fx.one(U1, direct);
        StatementResult b = fx.one(U1, calcite);
        assertEquals(b.schema(), a.schema(), direct + " (seed " + seed + ")");
        assertEquals(b.truncated(), a.truncated(), direct);
        assertEquals(b.rows().size(), a.rows().size(), direct + " (seed " + seed + ")");
        for (int i = 0; i < a.rows().size(); i++) {
            assertEquals(Arrays.asList(b.rows().get(i)), Arrays.asList(a.rows().get(i)),
                    direct + " row " + i + " (seed " + seed + ")");
        }
    }

    @Test
    void directAnswersEqualCalcite() {
        same("thread = 't1'", " ORDER BY id DESC LIMIT 20", "*");
        same("n >= 5 AND thread <> 't2'", " ORDER BY id LIMIT 7 OFFSET 3", "id, n");
        same("n IS NULL", "", "id, thread");
        same("n IS NOT NULL AND 4 > n", " LIMIT 100", "id AS key, n");
        same("", " ORDER BY _seq DESC LIMIT 5", "id, _seq");
        same("_deleted = true", "", "id, _deleted");
        same("thread = 't3'", " ORDER BY id", "*");
        same("at > '2023-11-14 22:13:20.5'", " ORDER BY id DESC LIMIT 3", "id, at");
    }

    @Test
    void secondaryIndexesAnswerLikeTheScan() {
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE ix; CREATE TABLE ix.m (id BIGINT PRIMARY KEY, thread TEXT, "
                + "n INT) WITH (TYPE='USER')");
        Random random = new Random(seed);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            values.add("(" + i + ", 't" + random.nextInt(4) + "', " + random.nextInt(10) + ")");
        }
        fx.sql(U1, "INSERT INTO ix.m (id, thread, n) VALUES " + String.join(", ", values));
        fx.sql(EngineFixture.ROOT, "CREATE INDEX by_thread ON ix.m (thread)");
        fx.sql(U1, "UPDATE ix.m SET thread = 't9' WHERE n = 3");
        fx.sql(U1, "DELETE FROM ix.m WHERE n = 4");
        fx.sql(U1, "UPDATE ix.m SET id = id + 1000 WHERE n = 5");
        fx.sql(U1, "INSERT INTO ix.m (id, thread, n) VALUES (5000, 't1', 1)");
        fx.sql(new Session("u2", Role.USER), "INSERT INTO ix.m (id, thread, n) VALUES (6000, 't1', 1)");
        for (String thread : List.of("t0", "t1", "t2", "t3", "t9", "nope")) {
            for (String tail : List.of(" ORDER BY id DESC LIMIT 20", " ORDER BY id LIMIT 7 OFFSET 2", "")) {
                String direct = "SELECT id, thread, n FROM ix.m WHERE thread = '" + thread + "'" + tail;
                String calcite = "SELECT id, thread, n FROM ix.m WHERE thread = '" + thread + "' AND 1 = 1" + tail;
                List<List<Object>> a = fx.one(U1, direct).rows().stream().map(Arrays::asList).toList();
                List<List<Object>> b = fx.one(U1, calcite).rows().stream().map(Arrays::asList).toList();
                assertEquals(b, a, direct + " (seed " + seed + ")");
            }
        }
        assertEquals(0, fx.one(U1, "SELECT id FROM ix.m WHERE thread = 't1' AND id = 6000").rowCount(),
                "the index is per user too");
        assertTrue(fx.one(EngineFixture.ROOT, "CREATE INDEX IF NOT EXISTS ON ix.m (thread)").message()
                .contains("already exists"));
    }

    @Test
    void theDirectPathReadsOnlyWhatItsFromNamesAndIsCheckedOnIt() {
        fx.sql(EngineFixture.ROOT, "CREATE TABLE d.secret (id BIGINT PRIMARY KEY, v TEXT) WITH (TYPE='SHARED')");
        fx.sql(EngineFixture.ROOT, "INSERT INTO d.secret (id, v) VALUES (1, 'hidden')");
        String sql = "SELECT id, v FROM d.secret WHERE id = 1 ORDER BY id DESC LIMIT 5";
        Stmt.Query q = (Stmt.Query) KalamParser.parse(sql, List.of(), "default");
        DirectQuery plan = DirectQuery.plan(q.node(), q, fx.engine().catalog(), "default");
        assertTrue(plan != null && plan.table().qualifiedName().equals("d.secret"), "direct, on d.secret");
        io.kalamdb.engine.error.KalamException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.kalamdb.engine.error.KalamException.class, () -> fx.sql(U1, sql));
        assertEquals(io.kalamdb.engine.error.KalamErrorCode.PERMISSION_DENIED, e.code(), e.getMessage());
        assertEquals("hidden", fx.one(new Session("svc", Role.SERVICE), sql).rows().get(0)[1]);
        for (String other : List.of("SELECT id FROM d.secret TABLESAMPLE BERNOULLI(100) LIMIT 5",
                "SELECT id FROM d.m WHERE id = (SELECT MAX(id) FROM d.secret) LIMIT 5",
                "SELECT id, (SELECT v FROM d.secret) FROM d.m LIMIT 5",
                "SELECT id FROM d.m WHERE id IN (SELECT id FROM d.secret) LIMIT 5",
                "SELECT id FROM d.m ORDER BY id LIMIT (SELECT 1)")) {
            Stmt.Query oq;
            try {
                oq = (Stmt.Query) KalamParser.parse(other, List.of(), "default");
            } catch (io.kalamdb.engine.error.KalamException parseError) {
                continue; // not even a query the parser accepts, so not one the direct path can see
            }
            assertTrue(DirectQuery.plan(oq.node(), oq, fx.engine().catalog(), "default") == null,
                    "no direct plan for " + other);
        }
    }

    @Test
    void directPlanIsUsedForTheThreadQuery() {
        StatementResult r = fx.one(U1, "SELECT * FROM d.m WHERE thread = $1 ORDER BY id DESC LIMIT 20", "t1");
        assertTrue(r.rowCount() <= 20);
        Stmt.Query q = (Stmt.Query) KalamParser.parse("SELECT * FROM d.m WHERE thread = $1 ORDER BY id DESC LIMIT 20",
                List.of("t1"), "default");
        assertTrue(DirectQuery.plan(q.node(), q, fx.engine().catalog(), "default") != null,
                "the hot query takes the direct path");
    }
}
