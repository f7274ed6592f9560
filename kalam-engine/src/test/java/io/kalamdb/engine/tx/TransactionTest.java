package io.kalamdb.engine.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Statements inside {@code BEGIN … COMMIT} see what the earlier statements of the same transaction inserted,
 * updated and deleted (over a real RocksDB store), and the transaction applies all of it or nothing.
 */
@Timeout(120)
class TransactionTest {
    private static final Session U1 = new Session("u1", Role.USER);
    private EngineFixture fx;

    @BeforeEach
    void open() {
        fx = new EngineFixture(Map.of("rate_limit.max_queries_per_sec", "0"));
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE t; CREATE TABLE t.items (id BIGINT PRIMARY KEY, label TEXT, "
                + "n INT) WITH (TYPE='USER'); CREATE INDEX ON t.items (label)");
    }

    @AfterEach
    void close() {
        fx.close();
    }

    /** The rows of the results that have rows, each row as a list. */
    private static List<List<List<Object>>> queries(List<StatementResult> results) {
        List<List<List<Object>>> out = new ArrayList<>();
        for (StatementResult r : results) {
            if (r.hasRows()) {
                List<List<Object>> rows = new ArrayList<>();
                for (Object[] row : r.rows()) {
                    rows.add(Arrays.asList(row));
                }
                out.add(rows);
            }
        }
        return out;
    }

    private List<List<Object>> select(String sql) {
        return queries(fx.sql(U1, sql)).get(0);
    }

    @Test
    void aSelectSeesTheRowsInsertedEarlierInTheTransaction() {
        List<List<List<Object>>> seen = queries(fx.sql(U1, "BEGIN; "
                + "INSERT INTO t.items (id, label, n) VALUES (1, 'a', 10); "
                + "SELECT id, label, n FROM t.items; SELECT n FROM t.items WHERE id = 1; "
                + "SELECT id FROM t.items WHERE label = 'a'; SELECT COUNT(*) FROM t.items; COMMIT"));
        assertEquals(List.of(List.of(1L, "a", 10)), seen.get(0), "full scan");
        assertEquals(List.of(List.of(10)), seen.get(1), "primary-key lookup");
        assertEquals(List.of(List.of(1L)), seen.get(2), "index lookup");
        assertEquals(List.of(List.of(1L)), seen.get(3), "aggregate");
        assertEquals(List.of(List.of(1L, "a", 10)), select("SELECT id, label, n FROM t.items"), "committed");
    }

    @Test
    void updateAndDeleteFindRowsInsertedEarlierInTheTransaction() {
        List<List<List<Object>>> seen = queries(fx.sql(U1, "BEGIN; "
                + "INSERT INTO t.items (id, label, n) VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30); "
                + "UPDATE t.items SET n = n + 1 WHERE id = 1; UPDATE t.items SET n = n * 2 WHERE id = 1; "
                + "DELETE FROM t.items WHERE id = 2; UPDATE t.items SET id = 4 WHERE id = 3; "
                + "SELECT id, label, n FROM t.items ORDER BY id; COMMIT"));
        List<List<Object>> expected = List.of(List.of(1L, "a", 22), List.of(4L, "c", 30));
        assertEquals(expected, seen.get(0), "the transaction's own view");
        assertEquals(expected, select("SELECT id, label, n FROM t.items ORDER BY id"), "what it committed");
        assertEquals(List.of(List.of(4L)), select("SELECT id FROM t.items WHERE label = 'c'"),
                "the index follows the moved row");
    }

    @Test
    void statementsSeeStagedChangesOfStoredRows() {
        fx.sql(U1, "INSERT INTO t.items (id, label, n) VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30)");
        List<List<List<Object>>> seen = queries(fx.sql(U1, "BEGIN; DELETE FROM t.items WHERE id = 2; "
                + "INSERT INTO t.items (id, label, n) VALUES (2, 'new', 5); "
                + "UPDATE t.items SET label = 'b' WHERE id = 3; UPDATE t.items SET n = n + 1 WHERE label = 'b'; "
                + "DELETE FROM t.items WHERE id = 1; "
                + "SELECT id, label, n FROM t.items WHERE id >= 2 ORDER BY id DESC; "
                + "SELECT id FROM t.items WHERE label = 'b'; SELECT id FROM t.items WHERE label = 'a'; "
                + "SELECT SUM(n), MAX(id) FROM t.items; COMMIT"));
        assertEquals(List.of(List.of(3L, "b", 31), List.of(2L, "new", 5)), seen.get(0));
        assertEquals(List.of(List.of(3L)), seen.get(1), "a staged value found by the index, the stored one hidden");
        assertEquals(List.of(), seen.get(2), "a staged delete hides the stored row from the index");
        assertEquals("[[36, 3]]", seen.get(3).toString(), "SUM(n), MAX(id)");
        assertEquals(List.of(List.of(2L, "new", 5), List.of(3L, "b", 31)),
                select("SELECT id, label, n FROM t.items ORDER BY id"));
    }

    @Test
    void rollbackAndFailuresLeaveNothing() {
        fx.sql(U1, "INSERT INTO t.items (id, label, n) VALUES (1, 'a', 10)");
        fx.sql(U1, "BEGIN; INSERT INTO t.items (id, label, n) VALUES (2, 'b', 20); "
                + "UPDATE t.items SET n = 0 WHERE id = 1; ROLLBACK");
        assertEquals(List.of(List.of(1L, "a", 10)), select("SELECT id, label, n FROM t.items"), "after ROLLBACK");
        KalamException failed = assertThrows(KalamException.class, () -> fx.sql(U1, "BEGIN; "
                + "INSERT INTO t.items (id, label, n) VALUES (2, 'b', 20); UPDATE t.items SET n = 0 WHERE id = 1; "
                + "INSERT INTO t.items (id, label, n) VALUES (2, 'again', 1); COMMIT"));
        assertTrue(failed.getMessage().contains("Primary key violation"), failed.getMessage());
        assertEquals(List.of(List.of(1L, "a", 10)), select("SELECT id, label, n FROM t.items"),
                "a failing statement rolls the whole transaction back");
        KalamException open = assertThrows(KalamException.class, () -> fx.sql(U1, "BEGIN; "
                + "INSERT INTO t.items (id, label, n) VALUES (3, 'c', 30)"));
        assertTrue(open.getMessage().contains("open explicit transaction"), open.getMessage());
        assertEquals(List.of(List.of(1L, "a", 10)), select("SELECT id, label, n FROM t.items"),
                "an open transaction at the end of the batch is rolled back");
    }

    @Test
    void aTransactionReadsTheSnapshotOfItsBegin() {
        fx.sql(U1, "INSERT INTO t.items (id, label, n) VALUES (1, 'a', 10)");
        List<List<List<Object>>> seen = queries(fx.sql(U1, "BEGIN; SELECT n FROM t.items WHERE id = 1; "
                + "EXECUTE AS USER 'u1' (SELECT n FROM t.items WHERE id = 1); ROLLBACK"));
        assertEquals(seen.get(0), seen.get(1));
        assertEquals(List.of(List.of(10)), seen.get(0));
    }

    @Test
    void insertAndDeleteOfTheSameRowCommitsNothing() {
        List<StatementResult> r = fx.sql(U1, "BEGIN; INSERT INTO t.items (id, label, n) VALUES (9, 'x', 1); "
                + "DELETE FROM t.items WHERE id = 9; COMMIT");
        assertTrue(r.toString().contains("Transaction committed"), r.toString());
        assertEquals(List.of(), select("SELECT id FROM t.items"));
        assertEquals(List.of(), select("SELECT id FROM t.items WHERE _deleted = true"),
                "no deleted version of a row that never committed");
    }
}
