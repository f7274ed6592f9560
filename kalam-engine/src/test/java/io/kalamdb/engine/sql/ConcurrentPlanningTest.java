package io.kalamdb.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.StatementResult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Statements planned for the first time by several threads at once — the same text, so they meet in the parse,
 * literal-normalising and plan caches together — all run and give the same answer.
 */
class ConcurrentPlanningTest {
    private static final int THREADS = 6;
    private static EngineFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new EngineFixture();
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE cp");
        fx.sql(EngineFixture.ROOT, "CREATE TABLE cp.big (id INT PRIMARY KEY, v INT) WITH (TYPE='SHARED')");
        StringBuilder insert = new StringBuilder("INSERT INTO cp.big (id, v) VALUES ");
        for (int i = 0; i < 30; i++) {
            insert.append(i == 0 ? "" : ", ").append('(').append(i).append(", ").append(i % 7).append(')');
        }
        fx.sql(EngineFixture.ROOT, insert.toString());
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    void theSameNewStatementPlannedByManyThreadsAtOnceRunsEverywhere() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < 12; round++) {
                // a new text each round, so every thread plans it for the first time, together
                // aliases differ by round: the literal normaliser cannot make two rounds share a plan
                String a = "a" + round;
                String sql = "SELECT COUNT(*) FROM cp.big " + a + ", cp.big b WHERE " + a + ".v + b.v >= "
                        + (round % 7);
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Future<List<StatementResult>>> runs = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    runs.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return fx.sql(EngineFixture.ROOT, sql);
                    }));
                }
                Object expected = null;
                for (Future<List<StatementResult>> run : runs) {
                    List<StatementResult> results = run.get(60, TimeUnit.SECONDS);
                    assertEquals(1, results.size(), sql);
                    Object count = results.get(0).rows().get(0)[0];
                    if (expected == null) {
                        expected = count;
                    }
                    assertEquals(expected, count, "round " + round + ": " + sql);
                }
                assertTrue(((Number) expected).longValue() > 0, sql);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
