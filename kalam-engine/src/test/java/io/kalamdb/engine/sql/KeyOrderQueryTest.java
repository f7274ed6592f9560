package io.kalamdb.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ORDER BY on DECIMAL and TEXT primary keys and on indexed columns returns value order, from a scan that walks
 * the keys in order (no sort in the plan) and from Calcite's own sort alike, with negative decimals and non-ASCII
 * text. The expected order is Java's {@code BigDecimal.compareTo} and {@code String.compareTo}, which are the
 * comparators Calcite sorts these types with. Random values are seeded: rerun with {@code -Dkeys.seed=}.
 */
class KeyOrderQueryTest {
    private static final Session U1 = new Session("u1", Role.USER);
    private static final List<String> TEXTS = List.of("", "a", "B", "b", "ab", "a b", "a\u0000", "a\u007f", "\u00e9",
            "e\u0301", "\u00ff", "\u4e2d\u6587", "\ud7ff", "\ue000", "\uffff", "\ud83d\ude00", "\ud83d\ude00a",
            "\ufffd", "z", "Z", "\u0100", "\u07ff", "\u0800", "zz\ud800\udc00", "zz\uffff");
    private static final List<BigDecimal> AMOUNTS = List.of(new BigDecimal("-19.5000"), new BigDecimal("-2.0000"),
            new BigDecimal("-1.5000"), new BigDecimal("0.0000"), new BigDecimal("1.5000"), new BigDecimal("100.0000"));
    private static EngineFixture fx;
    private static long seed;
    private static List<BigDecimal> decimals;

    @BeforeAll
    static void load() {
        seed = Long.getLong("keys.seed", System.nanoTime());
        System.out.println("KeyOrderQueryTest seed=" + seed + " (rerun with -Dkeys.seed=" + seed + ")");
        Random random = new Random(seed);
        // every row in one answer, without a LIMIT
        fx = new EngineFixture(java.util.Map.of("limits.default_query_limit", "1000"));
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE o; "
                + "CREATE TABLE o.dec (k DECIMAL(20,4) PRIMARY KEY, n INT) WITH (TYPE='USER'); "
                + "CREATE TABLE o.txt (k TEXT PRIMARY KEY, n INT) WITH (TYPE='USER'); "
                + "CREATE TABLE o.dbl (k DOUBLE PRIMARY KEY) WITH (TYPE='USER'); "
                + "CREATE TABLE o.idx (id BIGINT PRIMARY KEY, label TEXT, amount DECIMAL(12,2)) WITH (TYPE='USER'); "
                + "CREATE INDEX ON o.idx (label); CREATE INDEX ON o.idx (amount)");
        Set<BigDecimal> values = new LinkedHashSet<>();
        for (String s : List.of("-1000158.7713", "-9995937.2854", "-1.5", "-1.05", "-0.0001", "0", "0.0001", "0.5",
                "1.5", "10", "9.9999", "-10", "100", "99999999.9999", "-99999999.9999", "-2", "-19.5")) {
            values.add(new BigDecimal(s).setScale(4));
        }
        while (values.size() < 200) {
            values.add(BigDecimal.valueOf(random.nextLong() % 1_000_000_000_000L, 4 - random.nextInt(4)).setScale(4));
        }
        decimals = new ArrayList<>(values);
        insert("o.dec", "k, n", decimals.size(), i -> new Object[] {decimals.get(i), i});
        insert("o.txt", "k, n", TEXTS.size(), i -> new Object[] {TEXTS.get(i), i});
        insert("o.idx", "id, label, amount", 300, i -> new Object[] {(long) (i * 7919 % 1000) - 500,
                TEXTS.get(random.nextInt(4) + 9), AMOUNTS.get(random.nextInt(AMOUNTS.size()))});
    }

    /** Inserts rows with parameters, a few per statement (the engine caps parameters per statement). */
    private static void insert(String table, String columns, int rows, java.util.function.IntFunction<Object[]> row) {
        for (int from = 0; from < rows; from += 12) {
            StringBuilder sql = new StringBuilder("INSERT INTO " + table + " (" + columns + ") VALUES ");
            List<Object> params = new ArrayList<>();
            for (int i = from; i < Math.min(rows, from + 12); i++) {
                Object[] values = row.apply(i);
                sql.append(i == from ? "(" : ", (");
                for (int c = 0; c < values.length; c++) {
                    params.add(values[c]);
                    sql.append(c == 0 ? "" : ", ").append('$').append(params.size());
                }
                sql.append(')');
            }
            fx.sql(U1, sql.toString(), params.toArray());
        }
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    @Test
    void decimalKeysComeInValueOrder() {
        List<BigDecimal> expected = decimals.stream().sorted().toList();
        assertDecimals(expected, direct("SELECT k FROM o.dec ORDER BY k"));
        assertDecimals(expected, sorted("SELECT k FROM o.dec ORDER BY k"));
        assertDecimals(expected.reversed().subList(0, 15), direct("SELECT k FROM o.dec ORDER BY k DESC LIMIT 15"));
        assertDecimals(expected.subList(0, 15), direct("SELECT k FROM o.dec ORDER BY k LIMIT 15"));
        assertDecimals(expected.stream().filter(d -> d.signum() < 0).toList(),
                direct("SELECT k FROM o.dec WHERE k < 0 ORDER BY k"));
        // an unordered read walks the keys too: value order
        assertDecimals(expected, direct("SELECT k FROM o.dec"));
    }

    @Test
    void equalDecimalsAtAnotherScaleAreTheSameKey() {
        assertEquals(1, fx.one(U1, "SELECT k FROM o.dec WHERE k = -1.05000").rowCount());
        assertEquals(1, fx.one(U1, "SELECT k FROM o.dec WHERE k = $1", new BigDecimal("-1.050")).rowCount());
        KalamException duplicate = assertThrows(KalamException.class,
                () -> fx.sql(U1, "INSERT INTO o.dec (k, n) VALUES (1.50, 0)"));
        assertTrue(duplicate.getMessage().contains("Primary key violation"), duplicate.getMessage());
        assertEquals(1, fx.one(U1, "UPDATE o.dec SET n = -1 WHERE k = 1.5").rowCount());
        assertEquals(-1, ((Number) fx.one(U1, "SELECT n FROM o.dec WHERE k = 1.5000").rows().get(0)[0]).intValue());
    }

    @Test
    void textKeysComeInUtf16Order() {
        List<String> expected = TEXTS.stream().sorted().toList();
        assertEquals(expected, texts(direct("SELECT k FROM o.txt ORDER BY k")));
        assertEquals(expected, texts(sorted("SELECT k FROM o.txt ORDER BY k")));
        assertEquals(expected.reversed(), texts(direct("SELECT k FROM o.txt ORDER BY k DESC")));
        assertEquals(expected.reversed().subList(0, 5), texts(direct("SELECT k FROM o.txt ORDER BY k DESC LIMIT 5")));
        assertEquals(1, fx.one(U1, "SELECT k FROM o.txt WHERE k = $1", "\ud83d\ude00").rowCount());
    }

    @Test
    void keyColumnsKeepTheirTypeWhileKeysAreStored() {
        for (String alter : List.of("ALTER TABLE o.dec MODIFY COLUMN k TEXT", "ALTER TABLE o.txt MODIFY k BIGINT",
                "ALTER TABLE o.idx ALTER COLUMN label TYPE INT", "ALTER TABLE o.idx MODIFY amount DOUBLE")) {
            KalamException e = assertThrows(KalamException.class, () -> fx.sql(EngineFixture.ROOT, alter));
            assertTrue(e.getMessage().startsWith("cannot change the type of a primary key or indexed column"),
                    e.getMessage());
        }
        assertEquals(1, fx.one(U1, "SELECT k FROM o.dec WHERE k = 1.5").rowCount());
        fx.sql(EngineFixture.ROOT, "CREATE TABLE o.empty (k INT PRIMARY KEY) WITH (TYPE='USER'); "
                + "ALTER TABLE o.empty MODIFY COLUMN k TEXT; ALTER TABLE o.idx MODIFY COLUMN amount DECIMAL(12,2)");
        fx.sql(U1, "INSERT INTO o.empty (k) VALUES ('b'), ('a')");
        assertEquals(List.of("a", "b"), texts(fx.one(U1, "SELECT k FROM o.empty ORDER BY k").rows()));
    }

    @Test
    void doubleKeysAreSqlValues() {
        fx.sql(U1, "INSERT INTO o.dbl (k) VALUES ($1), ($2), ($3)", 0.0, -1.5, 2.5e300);
        KalamException negativeZero = assertThrows(KalamException.class,
                () -> fx.sql(U1, "INSERT INTO o.dbl (k) VALUES ($1)", -0.0));
        assertTrue(negativeZero.getMessage().contains("Primary key violation"), "-0.0 = 0.0: one key");
        for (double notSortable : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThrows(KalamException.class, () -> fx.sql(U1, "INSERT INTO o.dbl (k) VALUES ($1)", notSortable));
        }
        assertEquals(List.of(-1.5, 0.0, 2.5e300), fx.one(U1, "SELECT k FROM o.dbl ORDER BY k").rows().stream()
                .map(r -> ((Number) r[0]).doubleValue()).toList());
    }

    @Test
    void textThatUtf8CannotHoldIsRefused() {
        for (String bad : List.of("\ud800", "a\udc00", "x\ud83d", "\ude00\ud83d")) {
            KalamException e = assertThrows(KalamException.class,
                    () -> fx.sql(U1, "INSERT INTO o.txt (k, n) VALUES ($1, 1)", bad));
            assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
            KalamException inValue = assertThrows(KalamException.class,
                    () -> fx.sql(U1, "INSERT INTO o.idx (id, label) VALUES (9999, $1)", bad));
            assertTrue(inValue.getMessage().contains("[column=label]"), inValue.getMessage());
        }
        assertEquals(TEXTS.size(), fx.one(U1, "SELECT k FROM o.txt").rowCount(), "nothing was written");
        assertEquals(0, fx.one(U1, "SELECT id FROM o.idx WHERE id = 9999").rowCount());
    }

    @Test
    void indexedColumnsAnswerInValueAndKeyOrder() {
        List<Object[]> all = sorted("SELECT id, label, amount FROM o.idx ORDER BY id");
        for (String label : TEXTS.subList(9, 13)) {
            List<Long> ids = all.stream().filter(r -> label.equals(r[1])).map(r -> ((Number) r[0]).longValue())
                    .toList();
            String sql = "SELECT id FROM o.idx WHERE label = $1 ORDER BY id";
            assertTrue(explain(sql, label).contains("access=[INDEX_EQ]"),
                    "equality on an indexed column reads the index");
            assertEquals(ids, longs(fx.one(U1, sql, label).rows()), label);
            assertEquals(ids.reversed().subList(0, Math.min(3, ids.size())),
                    longs(fx.one(U1, "SELECT id FROM o.idx WHERE label = $1 ORDER BY id DESC LIMIT 3", label).rows()));
        }
        for (BigDecimal amount : AMOUNTS) {
            List<Long> ids = all.stream().filter(r -> amount.compareTo((BigDecimal) r[2]) == 0)
                    .map(r -> ((Number) r[0]).longValue()).toList();
            // the operand's scale (4) differs from the column's (2): the index key is the value's, not the text's
            String sql = "SELECT id FROM o.idx WHERE amount = $1 ORDER BY id";
            assertTrue(explain(sql, amount).contains("access=[INDEX_EQ]"),
                    "equality on an indexed column reads the index");
            assertEquals(ids, longs(fx.one(U1, sql, amount).rows()), amount.toString());
        }
        // the operand is compared exactly, not rounded to the column's scale: 1.505 is no DECIMAL(12,2) value
        for (String[] condition : new String[][] {{"=", "1.505"}, {"=", "-1.495"}, {">", "1.495"},
            {"<=", "-1.505"}, {"=", "1.5"}, {"<>", "1.50"}}) {
            String where = "amount " + condition[0] + " ";
            BigDecimal operand = new BigDecimal(condition[1]);
            String literal = "SELECT id FROM o.idx WHERE " + where + condition[1] + " ORDER BY id";
            String param = "SELECT id FROM o.idx WHERE " + where + "$1 ORDER BY id";
            assertEquals(longs(unpushed(literal)), longs(fx.one(U1, literal).rows()), literal);
            assertEquals(longs(unpushed(param, operand)), longs(fx.one(U1, param, operand).rows()),
                    param + " with " + operand);
        }
        List<Object[]> byAmount = sorted("SELECT amount, id FROM o.idx ORDER BY amount, id");
        List<Object[]> expected = new ArrayList<>(all);
        expected.sort(Comparator.comparing((Object[] r) -> (BigDecimal) r[2]).thenComparing(r -> (Long) r[0]));
        assertEquals(expected.stream().map(r -> ((BigDecimal) r[2]).stripTrailingZeros() + "/" + r[0]).toList(),
                byAmount.stream().map(r -> ((BigDecimal) r[0]).stripTrailingZeros() + "/" + r[1]).toList());
        List<Object[]> byLabel = sorted("SELECT label FROM o.idx ORDER BY label DESC");
        assertEquals(all.stream().map(r -> (String) r[1]).sorted(Comparator.reverseOrder()).toList(),
                byLabel.stream().map(r -> (String) r[0]).toList());
    }

    /** Rows of a query whose plan takes its order from the key order: no sort above the scan. */
    private static List<Object[]> direct(String sql) {
        String plan = explain(sql);
        assertTrue(plan.contains("KScan") && !plan.contains("Sort"), "the scan walks the keys in order: " + plan);
        return fx.one(U1, sql).rows();
    }

    /**
     * Rows of {@code sql} with the table read as a whole first (a LIMIT no row reaches, which no rule looks
     * through), so that Calcite sorts them itself.
     */
    private static List<Object[]> sorted(String sql) {
        String unpushed = sql.replaceFirst("FROM (o\\.\\w+)", "FROM (SELECT * FROM $1 LIMIT 2147483647)");
        String plan = explain(unpushed);
        assertTrue(plan.contains("EnumerableSort") || plan.contains("EnumerableLimitSort"),
                "Calcite sorts: " + plan);
        return fx.one(U1, unpushed).rows();
    }

    /** Rows of {@code sql} with the table read as a whole first, so that Calcite filters every row itself. */
    private static List<Object[]> unpushed(String sql, Object... params) {
        String whole = sql.replaceFirst("FROM (o\\.\\w+)", "FROM (SELECT * FROM $1 LIMIT 2147483647)");
        assertTrue(explain(whole, params).contains("access=[FULL])"), whole);
        return fx.one(U1, whole, params).rows();
    }

    private static String explain(String sql, Object... params) {
        StringBuilder plan = new StringBuilder();
        for (Object[] row : fx.one(EngineFixture.ROOT, "EXPLAIN " + sql, params).rows()) {
            plan.append(row[0]).append('\n');
        }
        return plan.toString();
    }

    private static void assertDecimals(List<BigDecimal> expected, List<Object[]> rows) {
        assertEquals(expected.size(), rows.size(), "seed " + seed);
        IntStream.range(0, rows.size()).forEach(i -> assertEquals(0,
                expected.get(i).compareTo((BigDecimal) rows.get(i)[0]),
                "row " + i + ": " + expected.get(i) + " vs " + rows.get(i)[0] + " (seed " + seed + ")"));
    }

    private static List<String> texts(List<Object[]> rows) {
        return rows.stream().map(r -> (String) r[0]).toList();
    }

    private static List<Long> longs(List<Object[]> rows) {
        return rows.stream().map(r -> ((Number) r[0]).longValue()).toList();
    }
}
