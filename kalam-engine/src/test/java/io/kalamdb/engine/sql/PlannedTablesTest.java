package io.kalamdb.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.RocksHotStore;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the plan walker sees for each way of spelling a read (calcite.md section 5), through
 * {@link QueryRunner#reads}, and that a run is refused before a planning error can be reported.
 */
class PlannedTablesTest {
    private static EngineFixture fx;
    private static HotStore store;
    private static QueryRunner runner;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new EngineFixture();
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE s");
        fx.sql(EngineFixture.ROOT, "CREATE TABLE s.t1 (id BIGINT PRIMARY KEY, x TEXT) WITH (TYPE='USER')");
        fx.sql(EngineFixture.ROOT, "CREATE TABLE s.t2 (id BIGINT PRIMARY KEY, x TEXT) WITH (TYPE='SHARED')");
        // planning never touches the store; the runner gets one of its own so the engine's stays untouched
        store = RocksHotStore.open(Files.createTempDirectory("kalam-planned"));
        runner = new QueryRunner(fx.engine().catalog(), store, fx.engine().systemTables());
    }

    @AfterAll
    static void tearDown() {
        store.close();
        fx.close();
    }

    private static Set<String> reads(String sql) {
        List<PlannedTables.Name> names = runner.reads(sql, "default");
        assertTrue(names != null, "should plan: " + sql);
        Set<String> out = new HashSet<>();
        names.forEach(n -> out.add(n.toString()));
        return out;
    }

    @Test
    void everyFormOfReadIsSeenInThePlan() {
        Set<String> t1 = Set.of("s.t1");
        Set<String> both = Set.of("s.t1", "s.t2");
        Map<String, Set<String>> cases = Map.ofEntries(
                Map.entry("SELECT * FROM s.t1 TABLESAMPLE BERNOULLI(50)", t1),
                Map.entry("SELECT * FROM s.t1 /*+ index(i1) */", t1),
                Map.entry("TABLE s.t1", t1),
                Map.entry("SELECT * FROM \"S\".\"T1\"", t1),
                Map.entry("SELECT * FROM s.t1 a, LATERAL (SELECT * FROM s.t2 b WHERE b.id = a.id) c", both),
                Map.entry("SELECT * FROM s.t1 MATCH_RECOGNIZE (ORDER BY id MEASURES A.id AS m ONE ROW PER MATCH "
                        + "PATTERN (A) DEFINE A AS TRUE)", t1),
                Map.entry("SELECT * FROM (SELECT x FROM s.t1) PIVOT (COUNT(*) AS n FOR x IN ('a' AS a))", t1),
                Map.entry("SELECT * FROM (SELECT x FROM s.t1) UNPIVOT (v FOR c IN (x))", t1),
                Map.entry("SELECT 1 FROM s.t1 WHERE EXISTS (TABLE s.t2)", both),
                Map.entry("WITH t2 AS (SELECT * FROM s.t1) SELECT * FROM t2", t1),
                Map.entry("SELECT (SELECT MAX(x) FROM s.t2) FROM s.t1", both),
                Map.entry("SELECT a.id FROM s.t1 a JOIN s.t1 b ON a.id IN (SELECT id FROM s.t2)", both),
                Map.entry("SELECT COUNT(*) FROM s.t1 HAVING COUNT(*) > (SELECT COUNT(*) FROM s.t2)", both),
                Map.entry("VALUES ((SELECT MAX(x) FROM s.t2))", Set.of("s.t2")),
                Map.entry("SELECT x FROM s.t1 EXCEPT SELECT x FROM s.t2", both),
                Map.entry("SELECT x FROM s.t2 WHERE 1 = 0", Set.of("s.t2")),
                Map.entry("SELECT * FROM system.users", Set.of("system.users")),
                Map.entry("SELECT 1", Set.of()));
        cases.forEach((sql, expected) -> assertEquals(expected, reads(sql), sql));
        assertEquals(both, reads(CalciteSql.prepare("SELECT x FROM s.t1 WHERE x = $1 AND id IN (SELECT id FROM "
                + "s.t2)", List.of("a")).sql()), "parameters do not matter");
    }

    @Test
    void calcitesOwnMetadataTablesAreNotKalamTablesAndNobodyReadsThem() {
        // Calcite's JDBC root schema lists every table and column in "metadata"; system.* is KalamDB's listing
        KalamException e = assertThrows(KalamException.class, () -> runner.run(
                "SELECT * FROM \"metadata\".\"TABLES\"", List.of(), "default", EngineFixture.ROOT,
                new ScanScope("root", false), 10));
        assertEquals(KalamErrorCode.PERMISSION_DENIED, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("metadata.TABLES"), e.getMessage());
    }

    @Test
    void aTextThatCannotBePlannedYetHasNoReads() {
        assertNull(runner.reads("SELECT * FROM s.nope", "default"));
    }

    @Test
    void aForbiddenReadIsRefusedBeforeTheRunOrThePlanningErrorIsReported() {
        Session user = new Session("u1", Role.USER);
        ScanScope scope = new ScanScope("u1", false);
        for (String sql : List.of("TABLE system.users", "SELECT * FROM s.t2 MATCH_RECOGNIZE (ORDER BY id MEASURES "
                + "A.id AS m ONE ROW PER MATCH PATTERN (A) DEFINE A AS TRUE)", "SELECT * FROM s.t1 WHERE EXISTS "
                + "(SELECT 1 FROM s.t2)")) {
            KalamException e = assertThrows(KalamException.class,
                    () -> runner.run(sql, List.of(), "default", user, scope, 10), sql);
            assertEquals(KalamErrorCode.PERMISSION_DENIED, e.code(), sql + ": " + e.getMessage());
        }
        KalamException planning = assertThrows(KalamException.class,
                () -> runner.run("TABLE system.users", List.of(), "default", EngineFixture.ROOT, scope, 10));
        assertNotEquals(KalamErrorCode.PERMISSION_DENIED, planning.code(), "an admin gets the planner's own error");
        assertEquals(0, runner.run("SELECT * FROM s.t1", List.of(), "default", user, scope, 10).rows().size());
    }
}
