package io.kalamdb.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * EXPLAIN proves what a {@link KScan} takes from Calcite: a primary-key equality or range, an equality on an
 * indexed column, the primary-key order and the LIMIT above it; every other predicate stays in the plan, and the
 * rows are those the statement asks for.
 */
class KalamTablePushdownTest {
    private static final Session U1 = new Session("u1", Role.USER);
    private static EngineFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new EngineFixture();
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE chat; CREATE TABLE chat.messages (id BIGINT PRIMARY KEY, "
                + "thread_id TEXT, body TEXT, amount DECIMAL(12,2), at TIMESTAMP) WITH (TYPE='USER'); "
                + "CREATE INDEX ON chat.messages (thread_id)");
        fx.sql(U1, "INSERT INTO chat.messages (id, thread_id, body, amount, at) VALUES "
                + "(1, 't1', 'a', 1.00, '2024-03-15 11:00:00'), (2, 't1', 'b', 600.00, '2024-03-15 12:00:00'), "
                + "(3, 't2', 'c', 700.00, '2024-03-15 13:00:00'), (4, 't1', 'd', 2.50, '2024-03-15 14:00:00'), "
                + "(5, 't1', 'e', 900.00, '2024-03-15 15:00:00')");
        fx.sql(new Session("u2", Role.USER), "INSERT INTO chat.messages (id, thread_id, body) VALUES (6, 't1', 'x')");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    private static String explain(String sql, Object... params) {
        StringBuilder plan = new StringBuilder();
        for (Object[] row : fx.one(EngineFixture.ROOT, "EXPLAIN " + sql, params).rows()) {
            plan.append(row[0]).append('\n');
        }
        return plan.toString();
    }

    private static List<String> bodies(String sql, Object... params) {
        return fx.one(U1, sql, params).rows().stream().map(r -> (String) r[r.length - 1]).toList();
    }

    @Test
    void theLastMessagesOfAThreadReadTheIndexBackwardsAndStopAtTheLimit() {
        String sql = "SELECT id, body FROM chat.messages WHERE thread_id = $1 ORDER BY id DESC LIMIT 2";
        String plan = explain(sql, "t1");
        assertTrue(java.util.regex.Pattern.compile("KLimit\\(fetch=\\[2]\\)\n +KScan\\(").matcher(plan)
                .find(), "the limit sits right on the scan: " + plan);
        assertTrue(plan.contains("KScan(table=[[chat, messages]], access=[INDEX_EQ], key=[thread_id], lo=[[?0], "
                + "order=[PK DESC])"), plan);
        assertFalse(plan.contains("Sort"), plan);
        assertEquals(List.of("e", "d"), bodies(sql, "t1"));
        String literal = "SELECT id, body FROM chat.messages WHERE thread_id = 't1' ORDER BY id DESC LIMIT 2";
        assertTrue(explain(literal).contains("access=[INDEX_EQ], key=[thread_id], lo=[[t1], order=[PK DESC]"),
                explain(literal));
        assertEquals(List.of("e", "d"), bodies(literal));
    }

    @Test
    void aPrimaryKeyEqualityIsOnePointRead() {
        String plan = explain("SELECT body FROM chat.messages WHERE id = 2");
        assertTrue(plan.contains("access=[PK_EQ], key=[id], lo=[[2], hi=[2]]"), plan);
        assertEquals(List.of("b"), bodies("SELECT body FROM chat.messages WHERE id = 2"));
        assertEquals(List.of(), bodies("SELECT body FROM chat.messages WHERE id = 6"), "u2's row is not u1's");
        assertTrue(explain("SELECT body FROM chat.messages WHERE id = $1", 2L).contains("access=[PK_EQ]"));
        assertEquals(List.of("b"), bodies("SELECT body FROM chat.messages WHERE id = $1", 2L));
    }

    @Test
    void aKeyRangeIsReadAndTheOtherPredicatesStayInCalcite() {
        String sql = "SELECT body FROM chat.messages WHERE id >= $1 AND id < $2 AND amount > 500";
        String plan = explain(sql, 2L, 5L);
        assertTrue(plan.contains("access=[PK_RANGE], key=[id], lo=[[?0], hi=[?1)"), plan);
        assertTrue(plan.startsWith("EnumerableCalc(") && plan.contains(">($t3, $t7)"), "residual: " + plan);
        assertEquals(List.of("b", "c"), bodies(sql, 2L, 5L));
        String literals = "SELECT body FROM chat.messages WHERE id > 1 AND id <= 4 AND amount > 500";
        assertTrue(explain(literals).contains("access=[PK_RANGE], key=[id], lo=[(1], hi=[4]]"),
                explain(literals));
        assertEquals(List.of("b", "c"), bodies(literals));
        String timestamps = "SELECT body FROM chat.messages WHERE at >= TIMESTAMP '2024-03-15 12:00:00'";
        assertTrue(explain(timestamps).contains("access=[FULL]"), "not a key: Calcite filters");
        assertEquals(List.of("b", "c", "d", "e"), bodies(timestamps));
    }

    @Test
    void whatStorageCannotAnswerExactlyIsLeftToCalcite() {
        String upper = "SELECT body FROM chat.messages WHERE UPPER(thread_id) = 'T1' ORDER BY id LIMIT 3";
        String plan = explain(upper);
        assertTrue(plan.contains("KScan(table=[[chat, messages]], access=[FULL], order=[PK ASC])"), plan);
        assertTrue(plan.contains("UPPER($t1)"), plan);
        assertEquals(List.of("a", "b", "d"), bodies(upper));
        // 1.5 is no BIGINT: the comparison is on a DECIMAL cast of the key, which storage does not order by
        String fraction = "SELECT body FROM chat.messages WHERE id = 1.5";
        assertTrue(explain(fraction).contains("access=[FULL]"), explain(fraction));
        assertEquals(List.of(), bodies(fraction));
        String in = "SELECT body FROM chat.messages WHERE id IN (1, 3)";
        assertTrue(explain(in).contains("access=[FULL]"), "two ranges: " + explain(in));
        assertEquals(List.of("a", "c"), bodies(in));
        String other = "SELECT body FROM chat.messages ORDER BY amount DESC LIMIT 1";
        assertTrue(explain(other).contains("Sort"), explain(other));
        assertEquals(List.of("e"), bodies(other));
    }

    @Test
    void orderingByTheKeyDropsTheSortAlsoUnderAProjectionAndAResidualFilter() {
        String sql = "SELECT body FROM chat.messages WHERE thread_id = 't1' AND amount > 2 ORDER BY id DESC LIMIT 2";
        String plan = explain(sql);
        assertFalse(plan.contains("Sort"), plan);
        assertTrue(plan.contains("access=[INDEX_EQ], key=[thread_id], lo=[[t1], order=[PK DESC]"), plan);
        assertEquals(List.of("e", "d"), bodies(sql));
        String all = "SELECT body FROM chat.messages ORDER BY id DESC LIMIT 2 OFFSET 1";
        String allPlan = explain(all);
        assertTrue(allPlan.contains("KLimit(offset=[1], fetch=[2])") && allPlan.contains(
                "access=[FULL], order=[PK DESC]") && !allPlan.contains("Sort"), allPlan);
        assertEquals(List.of("d", "c"), bodies(all));
    }

    @Test
    void deletedRowsAreHiddenUnlessTheStatementNamesDeleted() {
        fx.sql(U1, "INSERT INTO chat.messages (id, thread_id, body) VALUES (100, 'gone', 'deleted one')");
        fx.sql(U1, "DELETE FROM chat.messages WHERE id = 100");
        assertEquals(List.of(), bodies("SELECT body FROM chat.messages WHERE thread_id = 'gone'"));
        assertEquals(List.of(), bodies("SELECT body FROM chat.messages WHERE id = 100"));
        String withDeleted = "SELECT _deleted, body FROM chat.messages WHERE thread_id = 'gone'";
        assertTrue(explain(withDeleted).contains("access=[INDEX_EQ]"), explain(withDeleted));
        List<Object[]> rows = fx.one(U1, withDeleted).rows();
        assertEquals(1, rows.size(), "the index holds live rows; a statement naming _deleted reads the partition");
        assertEquals(List.of(true, "deleted one"), Arrays.asList(rows.get(0)));
        assertEquals(List.of("deleted one"), bodies("SELECT _deleted, body FROM chat.messages WHERE id = 100"));
    }

    @Test
    void theUnpushedFormUsedByTheDifferentialTestsReallyIsUnpushed() {
        String plan = explain("SELECT body FROM (SELECT * FROM chat.messages LIMIT 2147483647) "
                + "WHERE id > 1 ORDER BY id DESC LIMIT 5");
        assertTrue(plan.contains("access=[FULL])") && plan.contains("Sort"), plan);
    }
}
