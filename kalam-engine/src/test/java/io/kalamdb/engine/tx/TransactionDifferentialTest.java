package io.kalamdb.engine.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.auth.Role;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * Queries inside a transaction over a mix of stored and staged rows answer exactly as the same queries over the
 * same changes committed: two tables get the same stored rows; random inserts, updates (values, index values and
 * primary keys) and deletes run inside {@code BEGIN … ROLLBACK} on one and committed on the other, then primary-key
 * equality, ranges in both directions, index equality, ORDER BY … LIMIT and aggregates are compared. The same
 * changes committed in a transaction leave both tables equal. Rerun a failure with {@code -Dtx.seed=}.
 */
@Timeout(300)
class TransactionDifferentialTest {
    private static final Session U1 = new Session("u1", Role.USER);
    private static final List<String> LABELS = List.of("x", "y", "z");
    private EngineFixture fx;

    @BeforeEach
    void open() {
        fx = new EngineFixture(Map.of("limits.default_query_limit", "1000"));
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE d; "
                + "CREATE TABLE d.a (id BIGINT PRIMARY KEY, label TEXT, amount INT, n INT) WITH (TYPE='USER'); "
                + "CREATE TABLE d.b (id BIGINT PRIMARY KEY, label TEXT, amount INT, n INT) WITH (TYPE='USER'); "
                + "CREATE INDEX ON d.a (label); CREATE INDEX ON d.b (label)");
    }

    @AfterEach
    void close() {
        fx.close();
    }

    @RepeatedTest(3)
    void queriesOverStagedRowsAnswerAsOverCommittedOnes() {
        long seed = Long.getLong("tx.seed", System.nanoTime());
        System.out.println("TransactionDifferentialTest seed=" + seed + " (rerun with -Dtx.seed=" + seed + ")");
        Random random = new Random(seed);
        Set<Long> live = new TreeSet<>();
        List<String> stored = new ArrayList<>();
        while (live.size() < 40) {
            long id = random.nextInt(60);
            if (live.add(id)) {
                stored.add("(" + id + ", '" + LABELS.get(random.nextInt(3)) + "', " + (random.nextInt(101) - 50)
                        + ", " + random.nextInt(5) + ")");
            }
        }
        for (String t : List.of("d.a", "d.b")) {
            fx.sql(U1, "INSERT INTO " + t + " (id, label, amount, n) VALUES " + String.join(", ", stored));
        }
        List<String> changes = changes(random, live);
        List<String> queries = queries(random);
        String before = all("d.a");

        StringBuilder staged = new StringBuilder("BEGIN; ");
        for (String c : changes) {
            staged.append(c.replace("%t", "d.a")).append("; ");
        }
        for (String q : queries) {
            staged.append(q.replace("%t", "d.a")).append("; ");
        }
        staged.append("ROLLBACK");
        List<String> inside = answers(fx.sql(U1, staged.toString()));
        assertEquals(before, all("d.a"), "ROLLBACK leaves the stored rows (seed " + seed + ")");

        for (String c : changes) {
            fx.sql(U1, c.replace("%t", "d.b"));
        }
        List<String> committed = new ArrayList<>();
        for (String q : queries) {
            committed.addAll(answers(fx.sql(U1, q.replace("%t", "d.b"))));
        }
        assertEquals(queries.size(), inside.size());
        for (int i = 0; i < queries.size(); i++) {
            assertEquals(committed.get(i), inside.get(i), queries.get(i) + " after " + changes + " (seed " + seed
                    + ")");
        }

        StringBuilder commit = new StringBuilder("BEGIN; ");
        for (String c : changes) {
            commit.append(c.replace("%t", "d.a")).append("; ");
        }
        fx.sql(U1, commit.append("COMMIT").toString());
        assertEquals(all("d.b"), all("d.a"), "the same changes committed in a transaction (seed " + seed + ")");
        for (String label : LABELS) {
            String q = "SELECT id FROM %t WHERE label = '" + label + "' ORDER BY id";
            assertEquals(answers(fx.sql(U1, q.replace("%t", "d.b"))), answers(fx.sql(U1, q.replace("%t", "d.a"))),
                    "the index after commit (seed " + seed + ")");
        }
    }

    /** The compared queries take the access paths the overlay must merge into (EXPLAIN shows the scan's spec). */
    @org.junit.jupiter.api.Test
    void theComparedQueriesArePushedDown() {
        String cols = "SELECT id, label, amount, n FROM d.a";
        org.junit.jupiter.api.Assertions.assertTrue(plan(cols + " WHERE id = 3").contains("access=[PK_EQ]"));
        org.junit.jupiter.api.Assertions.assertTrue(plan(cols + " WHERE id >= 3 AND id < 9 ORDER BY id")
                .contains("access=[PK_RANGE]"));
        org.junit.jupiter.api.Assertions.assertTrue(plan(cols + " WHERE id > 3 ORDER BY id DESC LIMIT 2")
                .contains("order=[PK DESC]"));
        org.junit.jupiter.api.Assertions.assertTrue(plan(cols + " WHERE label = 'y' ORDER BY id")
                .contains("access=[INDEX_EQ]"));
    }

    private String plan(String sql) {
        StringBuilder out = new StringBuilder();
        for (Object[] row : fx.one(EngineFixture.ROOT, "EXPLAIN " + sql).rows()) {
            out.append(Arrays.toString(row));
        }
        return out.toString();
    }

    /** Random changes that never break a key (the model {@code live} tracks the live keys). */
    private static List<String> changes(Random random, Set<Long> live) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            List<Long> keys = new ArrayList<>(live);
            long some = keys.isEmpty() ? -1 : keys.get(random.nextInt(keys.size()));
            long free = random.nextInt(90);
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (live.add(free)) {
                        out.add("INSERT INTO %t (id, label, amount, n) VALUES (" + free + ", '"
                                + LABELS.get(random.nextInt(3)) + "', " + (random.nextInt(101) - 50) + ", "
                                + random.nextInt(5) + ")");
                    }
                }
                case 1 -> out.add("UPDATE %t SET amount = amount + " + (random.nextInt(21) - 10) + " WHERE id = "
                        + some);
                case 2 -> out.add("UPDATE %t SET label = '" + LABELS.get(random.nextInt(3)) + "', n = n + 1 WHERE n = "
                        + random.nextInt(5));
                case 3 -> {
                    live.remove(some);
                    out.add("DELETE FROM %t WHERE id = " + some);
                }
                case 4 -> {
                    if (some >= 0 && !live.contains(free)) {
                        live.remove(some);
                        live.add(free);
                        out.add("UPDATE %t SET id = " + free + " WHERE id = " + some);
                    }
                }
                default -> {
                    int lo = random.nextInt(90);
                    out.add("UPDATE %t SET amount = amount * 2 WHERE id >= " + lo + " AND id < " + (lo + 10));
                }
            }
        }
        return out;
    }

    private static List<String> queries(Random random) {
        String cols = "SELECT id, label, amount, n FROM %t";
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int k = random.nextInt(90);
            int lo = random.nextInt(90);
            int hi = lo + random.nextInt(30);
            int limit = 1 + random.nextInt(8);
            String label = LABELS.get(random.nextInt(3));
            out.add(cols + " WHERE id = " + k);
            out.add(cols + " WHERE id >= " + lo + " AND id < " + hi + " ORDER BY id");
            out.add(cols + " WHERE id > " + lo + " ORDER BY id DESC LIMIT " + limit);
            out.add(cols + " WHERE label = '" + label + "' ORDER BY id");
            out.add(cols + " WHERE label = '" + label + "' AND id <= " + hi + " ORDER BY id DESC");
            out.add(cols + " ORDER BY id LIMIT " + limit);
            out.add(cols + " ORDER BY amount DESC, id LIMIT " + limit);
        }
        out.add("SELECT COUNT(*), SUM(amount), MIN(id), MAX(id) FROM %t");
        out.add("SELECT label, COUNT(*), SUM(amount) FROM %t GROUP BY label ORDER BY label");
        out.add("SELECT COUNT(*) FROM %t WHERE label = 'y'");
        return out;
    }

    private String all(String table) {
        return answers(fx.sql(U1, "SELECT id, label, amount, n FROM " + table + " ORDER BY id")).get(0);
    }

    private static List<String> answers(List<StatementResult> results) {
        List<String> out = new ArrayList<>();
        for (StatementResult r : results) {
            if (r.hasRows()) {
                List<String> rows = new ArrayList<>();
                for (Object[] row : r.rows()) {
                    rows.add(Arrays.toString(row));
                }
                out.add(rows.toString());
            }
        }
        return out;
    }
}
