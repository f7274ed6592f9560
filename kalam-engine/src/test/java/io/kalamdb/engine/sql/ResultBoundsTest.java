package io.kalamdb.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementResult;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bounded query memory (issue 13, "Queries"): a SELECT result stops at {@code limits.max_result_bytes} and says
 * {@code truncated: true}, on the direct path and through Calcite, while DML reads are never cut; and
 * {@code ORDER BY … LIMIT k} is planned as a top-k that returns exactly what a full sort would.
 */
class ResultBoundsTest {
    private static final Session ROOT = EngineFixture.ROOT;
    private static final int BUDGET = 4 * 1024 * 1024;
    private static final int ROWS = 24;
    /** Two columns of 450 000 characters: a row of about 0.9 MB as JSON. */
    private static final int HALF_ROW_CHARS = 450_000;
    private static EngineFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new EngineFixture(Map.of("limits.max_result_bytes", Integer.toString(BUDGET),
                "limits.max_query_limit", "1000"));
        fx.sql(ROOT, "CREATE NAMESPACE app");
        fx.sql(ROOT, "CREATE TABLE app.big (id INT PRIMARY KEY, a TEXT, b TEXT) WITH (TYPE='SHARED')");
        for (int i = 0; i < ROWS; i++) {
            fx.sql(ROOT, "INSERT INTO app.big (id, a, b) VALUES ($1, $2, $3)", i,
                    String.valueOf((char) ('a' + i)).repeat(HALF_ROW_CHARS),
                    String.valueOf((char) ('A' + i)).repeat(HALF_ROW_CHARS));
        }
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void assertCutWithinBudget(String sql) {
        long before = usedHeapAfterGc();
        StatementResult r = fx.one(ROOT, sql);
        long after = usedHeapAfterGc();
        long bytes = 0;
        for (Object[] row : r.rows()) {
            bytes += ResultBudget.estimateBytes(row);
        }
        System.out.printf("%s: rows=%d estimatedBytes=%d heapDelta=%d%n", sql, r.rows().size(), bytes,
                after - before);
        assertTrue(r.truncated(), "a result over the budget says truncated: " + sql);
        assertTrue(r.rows().size() >= 1 && r.rows().size() < ROWS, "rows cut: " + r.rows().size());
        assertTrue(bytes <= BUDGET, "the rows fit in the budget: " + bytes);
        assertEquals(BUDGET / (2 * HALF_ROW_CHARS), r.rows().size(), "as many whole rows as fit");
        assertEquals(0, r.rows().get(0)[0], "rows in key order from the first");
        // The full result would be about 22 MB; the kept one is about 4 MB. Generous margin for GC noise.
        assertTrue(after - before < 3L * BUDGET, "heap grew by " + (after - before) + " bytes");
    }

    @Test
    void aSelectOverTheBudgetIsCutOnTheDirectPath() {
        assertCutWithinBudget("SELECT * FROM app.big LIMIT 1000");
    }

    @Test
    void aSelectOverTheBudgetIsCutThroughCalcite() {
        assertCutWithinBudget("SELECT id, UPPER(a) AS a, b FROM app.big WHERE CHAR_LENGTH(b) > 0 LIMIT 1000");
    }

    @Test
    void aResultWithinTheBudgetIsWholeAndNotTruncated() {
        StatementResult r = fx.one(ROOT, "SELECT id, CHAR_LENGTH(a) AS n FROM app.big LIMIT 1000");
        assertEquals(ROWS, r.rows().size());
        assertFalse(r.truncated());
    }

    @Test
    void aRowLargerThanTheWholeBudgetIsStillReturnedAlone() {
        try (EngineFixture tiny = new EngineFixture(Map.of("limits.max_result_bytes", "1024"))) {
            tiny.sql(ROOT, "CREATE NAMESPACE app");
            tiny.sql(ROOT, "CREATE TABLE app.t (id INT PRIMARY KEY, a TEXT) WITH (TYPE='SHARED')");
            tiny.sql(ROOT, "INSERT INTO app.t (id, a) VALUES (1, $1), (2, $1)", "x".repeat(5000));
            StatementResult r = tiny.one(ROOT, "SELECT * FROM app.t");
            assertEquals(1, r.rows().size(), "progress: the first row even though it alone is over the budget");
            assertTrue(r.truncated());
        }
    }

    @Test
    void dmlReadsAreNeverCutByTheBudget() {
        fx.sql(ROOT, "CREATE TABLE app.copy (id INT PRIMARY KEY, a TEXT, b TEXT) WITH (TYPE='SHARED')");
        fx.sql(ROOT, "INSERT INTO app.copy SELECT id, a, b FROM app.big");
        assertEquals(ROWS, ((Number) fx.one(ROOT, "SELECT COUNT(*) FROM app.copy").rows().get(0)[0]).intValue());
        fx.sql(ROOT, "UPDATE app.copy SET b = 'short' WHERE CHAR_LENGTH(a) > 0");
        assertEquals(ROWS, ((Number) fx.one(ROOT, "SELECT COUNT(*) FROM app.copy WHERE b = 'short'").rows()
                .get(0)[0]).intValue());
        fx.sql(ROOT, "DROP TABLE app.copy");
    }

    private static String plan(String sql) {
        StringBuilder text = new StringBuilder();
        for (Object[] row : fx.one(ROOT, "EXPLAIN " + sql).rows()) {
            text.append(row[0]);
        }
        return text.toString();
    }

    @Test
    void orderByWithLimitIsPlannedAsTopK() {
        fx.sql(ROOT, "CREATE TABLE app.names (id INT PRIMARY KEY, name TEXT) WITH (TYPE='SHARED')");
        String topK = plan("SELECT * FROM app.names ORDER BY name LIMIT 5");
        assertTrue(topK.contains("EnumerableLimitSort"), topK);
        assertFalse(topK.contains("EnumerableSort("), topK);
        String withOffset = plan("SELECT id FROM app.names WHERE id > 3 ORDER BY name DESC LIMIT 5 OFFSET 2");
        assertTrue(withOffset.contains("EnumerableLimitSort"), withOffset);
        String unlimited = plan("SELECT * FROM app.names ORDER BY name");
        assertTrue(unlimited.contains("EnumerableSort("), "no LIMIT: a plain sort " + unlimited);
        fx.sql(ROOT, "DROP TABLE app.names");
    }

    @Test
    void topKReturnsWhatAFullSortWouldWithTiesAndOffsets() {
        long seed = System.nanoTime();
        System.out.println("topKReturnsWhatAFullSortWouldWithTiesAndOffsets seed=" + seed);
        Random random = new Random(seed);
        fx.sql(ROOT, "CREATE TABLE app.scores (id INT PRIMARY KEY, score INT, name TEXT) WITH (TYPE='SHARED')");
        List<int[]> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int score = random.nextInt(40);
            all.add(new int[] {i, score});
            fx.sql(ROOT, "INSERT INTO app.scores (id, score, name) VALUES ($1, $2, $3)", i, score, "n" + i);
        }
        all.sort(Comparator.<int[]>comparingInt(r -> -r[1]).thenComparingInt(r -> r[0]));
        for (int trial = 0; trial < 20; trial++) {
            int limit = 1 + random.nextInt(30);
            int offset = random.nextInt(50);
            List<Object[]> rows = fx.one(ROOT, "SELECT id, score FROM app.scores ORDER BY score DESC, id LIMIT $1 "
                    + "OFFSET $2", limit, offset).rows();
            List<int[]> expected = all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
            assertEquals(expected.size(), rows.size(), "seed=" + seed + " limit=" + limit + " offset=" + offset);
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(expected.get(i)[0], ((Number) rows.get(i)[0]).intValue(), "seed=" + seed);
                assertEquals(expected.get(i)[1], ((Number) rows.get(i)[1]).intValue(), "seed=" + seed);
            }
        }
        fx.sql(ROOT, "DROP TABLE app.scores");
    }
}
