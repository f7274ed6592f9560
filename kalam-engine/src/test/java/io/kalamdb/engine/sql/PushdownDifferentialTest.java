package io.kalamdb.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.EngineFixture;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.auth.Role;
import io.kalamdb.engine.error.KalamException;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pushed plan answers as the unpushed one: seeded ORDER BY / LIMIT / range and equality predicates over primary
 * keys of type DECIMAL, TEXT (non-ASCII), BIGINT (negative) and TIMESTAMP, and
 * equalities on indexed columns after updates, deletes and key changes, each run as written (the scan rules push
 * what they can) and over {@code (SELECT * FROM t LIMIT 2147483647)}, which no rule looks through, so Calcite
 * filters and sorts the whole partition itself. Rerun a failure with {@code -Dpushdown.seed=}.
 */
class PushdownDifferentialTest {
    private static final Session U1 = new Session("u1", Role.USER);
    private static final Session U2 = new Session("u2", Role.USER);
    private static final String UNPUSHED = "(SELECT * FROM %s LIMIT 2147483647)";
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);
    private static final List<String> TEXTS = List.of("", "a", "B", "b", "ab", "a b", "a\u007f", "\u00e9", "e\u0301",
            "\u00ff", "\u4e2d\u6587", "\ud7ff", "\ue000", "\uffff", "\ud83d\ude00", "\ud83d\ude00a", "\ufffd", "z", "Z",
            "\u0100", "\u07ff", "\u0800", "zz\ud800\udc00", "zz\uffff", "zz", "m", "mm", "n\u00e9");
    private static EngineFixture fx;
    private static long seed;
    private static Random random;
    private static int compared;

    @BeforeAll
    static void load() {
        seed = Long.getLong("pushdown.seed", System.nanoTime());
        System.out.println("PushdownDifferentialTest seed=" + seed + " (rerun with -Dpushdown.seed=" + seed + ")");
        random = new Random(seed);
        fx = new EngineFixture(java.util.Map.of("limits.default_query_limit", "1000"));
        fx.sql(EngineFixture.ROOT, "CREATE NAMESPACE p; "
                + "CREATE TABLE p.dec (k DECIMAL(20,4) PRIMARY KEY, n INT) WITH (TYPE='USER'); "
                + "CREATE TABLE p.txt (k TEXT PRIMARY KEY, n INT) WITH (TYPE='USER'); "
                + "CREATE TABLE p.big (k BIGINT PRIMARY KEY, n INT) WITH (TYPE='USER'); "
                + "CREATE TABLE p.ts (k TIMESTAMP PRIMARY KEY, n INT) WITH (TYPE='USER'); "
                + "CREATE TABLE p.ix (id BIGINT PRIMARY KEY, label TEXT, amount DECIMAL(12,2), n INT) "
                + "WITH (TYPE='USER'); CREATE INDEX ON p.ix (label); CREATE INDEX ON p.ix (amount)");
        List<Object> decimals = new ArrayList<>();
        for (String s : List.of("-1000158.7713", "-9995937.2854", "-1.5", "-1.05", "-0.0001", "0", "0.0001", "1.5")) {
            decimals.add(new BigDecimal(s));
        }
        while (decimals.size() < 120) {
            BigDecimal d = BigDecimal.valueOf(random.nextLong() % 100_000_000L, random.nextInt(5));
            if (!decimals.contains(d.setScale(4))) {
                decimals.add(d);
            }
        }
        insert("p.dec", decimals);
        insert("p.txt", new ArrayList<>(TEXTS));
        List<Object> longs = new ArrayList<>(List.of(Long.MIN_VALUE + 1, -1L, 0L, 1L, Long.MAX_VALUE));
        while (longs.size() < 120) {
            long v = random.nextBoolean() ? random.nextLong() : random.nextInt(2000) - 1000;
            if (!longs.contains(v)) {
                longs.add(v);
            }
        }
        insert("p.big", longs);
        List<Object> micros = new ArrayList<>();
        long base = 1_710_504_000_000_000L; // 2024-03-15 12:00:00 UTC
        while (micros.size() < 120) {
            long v = base + random.nextInt(400) * 1000L;
            if (!micros.contains(v)) {
                micros.add(v);
            }
        }
        insert("p.ts", micros);
        fx.sql(U2, "INSERT INTO p.big (k, n) VALUES (1, 1), (2, 2)");
        fx.sql(U1, "DELETE FROM p.big WHERE n = 3");
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            values.add("(" + (i - 100) + ", " + (random.nextInt(8) == 0 ? "NULL" : "'l" + random.nextInt(5) + "'")
                    + ", " + (random.nextInt(8) == 0 ? "NULL" : random.nextInt(4) + ".50") + ", "
                    + random.nextInt(10) + ")");
        }
        fx.sql(U1, "INSERT INTO p.ix (id, label, amount, n) VALUES " + String.join(", ", values));
        fx.sql(U1, "UPDATE p.ix SET label = 'l9' WHERE n = 3");
        fx.sql(U1, "DELETE FROM p.ix WHERE n = 4");
        fx.sql(U1, "UPDATE p.ix SET id = id + 1000 WHERE n = 5");
        fx.sql(U2, "INSERT INTO p.ix (id, label, amount, n) VALUES (5000, 'l1', 1.50, 1)");
    }

    /** Inserts keys with a random {@code n} each, a few per statement (the engine caps parameters). */
    private static void insert(String table, List<Object> keys) {
        for (int from = 0; from < keys.size(); from += 12) {
            StringBuilder sql = new StringBuilder("INSERT INTO " + table + " (k, n) VALUES ");
            List<Object> params = new ArrayList<>();
            for (int i = from; i < Math.min(keys.size(), from + 12); i++) {
                params.add(keys.get(i));
                params.add(random.nextInt(10));
                sql.append(i == from ? "" : ", ").append("($").append(params.size() - 1).append(", $")
                        .append(params.size()).append(')');
            }
            fx.sql(U1, sql.toString(), params.toArray());
        }
    }

    @AfterAll
    static void close() {
        System.out.println("PushdownDifferentialTest seed=" + seed + ": " + compared + " statements compared");
        fx.close();
    }

    /**
     * Runs {@code select FROM table tail} as written and over the unpushed table; the answers must be equal, in
     * order when {@code ordered}. Both may fail, with the same message.
     */
    private static void same(String table, String select, String tail, boolean ordered, Object... params) {
        String pushed = select + " FROM " + table + tail;
        String unpushed = select + " FROM " + String.format(UNPUSHED, table) + " t" + tail;
        List<List<Object>> a;
        List<List<Object>> b;
        try {
            a = rows(fx.one(U1, pushed, params));
        } catch (KalamException e) {
            KalamException other = org.junit.jupiter.api.Assertions.assertThrows(KalamException.class,
                    () -> fx.one(U1, unpushed, params), pushed + " failed only pushed (seed " + seed + ")");
            assertEquals(other.getMessage(), e.getMessage(), pushed);
            compared++;
            return;
        }
        b = rows(fx.one(U1, unpushed, params));
        if (!ordered) {
            Comparator<List<Object>> byText = Comparator.comparing(Object::toString);
            a = a.stream().sorted(byText).toList();
            b = b.stream().sorted(byText).toList();
        }
        assertEquals(b, a, pushed + " " + Arrays.toString(params) + " (seed " + seed + ")");
        compared++;
    }

    private static List<List<Object>> rows(StatementResult r) {
        return r.rows().stream().map(row -> Arrays.asList(row.clone())).map(row -> {
            List<Object> out = new ArrayList<>(row);
            out.replaceAll(v -> v instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : v);
            return out;
        }).toList();
    }

    /** Random ORDER BY / LIMIT / OFFSET tails over the key, or none. */
    private static String tail(String key) {
        return switch (random.nextInt(6)) {
            case 0 -> "";
            case 1 -> " ORDER BY " + key;
            case 2 -> " ORDER BY " + key + " DESC";
            case 3 -> " ORDER BY " + key + " DESC LIMIT " + (1 + random.nextInt(10));
            case 4 -> " ORDER BY " + key + " LIMIT " + (1 + random.nextInt(10)) + " OFFSET " + random.nextInt(5);
            default -> " LIMIT " + (1 + random.nextInt(200));
        };
    }

    private static final List<String> SHAPES = List.of("k = %1$s", "k < %1$s", "k <= %1$s", "k > %1$s",
            "k >= %1$s", "k >= %1$s AND k < %2$s", "k > %1$s AND k <= %2$s", "k BETWEEN %1$s AND %2$s",
            "%1$s < k AND n > 4", "k <= %1$s AND k <> %2$s", "k = %1$s OR k = %2$s", "k IN (%1$s, %2$s)",
            "k >= %2$s AND k >= %1$s", "NOT (k < %1$s)");

    /** Literal and parameter comparisons over one key type; {@code literal} renders a value as SQL. */
    private static void compareKeys(String table, List<Object> sample, Function<Object, String> literal,
                                    boolean params, int literalStatements) {
        for (int i = 0; i < literalStatements; i++) {
            String shape = SHAPES.get(random.nextInt(SHAPES.size()));
            String where = String.format(shape, literal.apply(pick(sample)), literal.apply(pick(sample)));
            String tail = tail("k");
            boolean ordered = tail.contains("ORDER BY");
            if (!ordered && tail.contains("LIMIT")) {
                tail = ""; // which rows an unordered LIMIT keeps is the plan's choice
            }
            same(table, "SELECT k, n, _seq", " WHERE " + where + tail, ordered);
        }
        if (!params) {
            return;
        }
        for (String shape : SHAPES) {
            String where = String.format(shape, "$1", "$2");
            for (String tail : List.of("", " ORDER BY k DESC LIMIT 5", " ORDER BY k")) {
                for (int i = 0; i < 6; i++) {
                    same(table, "SELECT k, n", " WHERE " + where + tail, !tail.isEmpty(), pick(sample), pick(sample));
                }
            }
        }
    }

    private static Object pick(List<Object> sample) {
        return sample.get(random.nextInt(sample.size()));
    }

    private static List<Object> keys(String table) {
        List<Object> keys = new ArrayList<>();
        for (Object[] row : fx.one(U1, "SELECT k FROM " + table).rows()) {
            keys.add(row[0]);
        }
        return keys;
    }

    @Test
    void decimalKeys() {
        List<Object> sample = keys("p.dec");
        // values between and beyond the keys, and equal values at other scales
        sample.addAll(List.of(new BigDecimal("-1.0500000"), new BigDecimal("1.50"), new BigDecimal("0.00005"),
                new BigDecimal("123456789012.5"), new BigDecimal("-0.5"), 7L));
        compareKeys("p.dec", sample, v -> v instanceof BigDecimal d ? d.toPlainString() : v.toString(), true, 30);
    }

    @Test
    void textKeysBeyondAscii() {
        List<Object> sample = keys("p.txt");
        sample.addAll(List.of("aa", "\u00e8", "zz\ud800\udbff", "\ud83d"));
        // literals only in ISO-8859-1 (what a Calcite literal can hold); every text as a parameter
        List<Object> latin = sample.stream().filter(s -> ((String) s).chars().allMatch(c -> c < 0x100)).toList();
        compareKeys("p.txt", new ArrayList<>(latin), v -> "'" + v.toString().replace("'", "''") + "'", false, 30);
        compareKeys("p.txt", sample, v -> "'" + v + "'", true, 0);
    }

    @Test
    void negativeBigintKeys() {
        List<Object> sample = keys("p.big");
        sample.addAll(List.of(Long.MIN_VALUE, Long.MAX_VALUE, -1000L, 5L));
        compareKeys("p.big", sample, Object::toString, true, 30);
        same("p.big", "SELECT k, _deleted", " WHERE k >= -100 ORDER BY k DESC", true);
    }

    @Test
    void timestampKeysAtMillisecondBoundaries() {
        List<Object> sample = new ArrayList<>();
        for (Object k : keys("p.ts")) {
            sample.add(k);
        }
        compareKeys("p.ts", sample, v -> "TIMESTAMP '" + TS.format(Instant.ofEpochMilli(
                Math.floorDiv(((Number) v).longValue(), 1000L))) + "'", false, 30);
        same("p.ts", "SELECT k, n", " WHERE k >= TIMESTAMP '2024-03-15 12:00:00' ORDER BY k DESC LIMIT 7", true);
    }

    @Test
    void indexedEqualitiesAfterUpdatesDeletesAndKeyChanges() {
        for (String label : List.of("'l0'", "'l1'", "'l2'", "'l3'", "'l9'", "'nope'")) {
            for (String tail : List.of(" ORDER BY id DESC LIMIT 20", " ORDER BY id LIMIT 7 OFFSET 2", " ORDER BY id")) {
                same("p.ix", "SELECT id, label, amount, n", " WHERE label = " + label + tail, true);
                same("p.ix", "SELECT id, label, _deleted", " WHERE label = " + label + tail, true);
                same("p.ix", "SELECT id, n", " WHERE label = " + label + " AND n > 2" + tail, true);
            }
        }
        for (String amount : List.of("0.5", "1.50", "2.500", "3.5", "9", "$1")) {
            same("p.ix", "SELECT id, amount", " WHERE amount = " + amount + " ORDER BY id DESC", true,
                    amount.equals("$1") ? new Object[] {new BigDecimal("1.5000")} : new Object[0]);
        }
        assertTrue(fx.one(EngineFixture.ROOT, "EXPLAIN SELECT id FROM p.ix WHERE label = 'l1'").rows().get(0)[0]
                .toString().contains("INDEX_EQ"), "the index is used");
    }
}
