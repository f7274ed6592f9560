package io.kalamdb.engine.hot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.sql.CalciteTypes;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;

import org.apache.calcite.DataContext;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Key bytes sort as Calcite's ORDER BY does. For every key type, seeded random values (with the edge cases of each
 * type) go into a Calcite table of the column's own Calcite type ({@link CalciteTypes#relType}) on a connection set
 * up like the engine's; {@code ORDER BY v} and {@code ORDER BY v DESC} must equal the values sorted by their
 * {@link KeyCodec#encodePk} bytes (unsigned), ascending and descending. Rerun a failure with {@code -Dkeys.seed=}.
 */
class KeyOrderTest {
    private static final int VALUES_PER_TYPE = 1500;
    private static long seed;
    private static Connection connection;
    private static final Map<String, Table> TABLES = new HashMap<>();

    @BeforeAll
    static void connect() throws SQLException {
        seed = Long.getLong("keys.seed", System.nanoTime());
        System.out.println("KeyOrderTest seed=" + seed + " (rerun with -Dkeys.seed=" + seed + ")");
        // the settings of the engine's planner connection (QueryRunner); none of them changes ORDER BY, and the
        // null collation is Calcite's default (HIGH) there as here
        Properties info = new Properties();
        info.setProperty("caseSensitive", "false");
        info.setProperty("quoting", "DOUBLE_QUOTE");
        info.setProperty("quotedCasing", "UNCHANGED");
        info.setProperty("unquotedCasing", "UNCHANGED");
        info.setProperty("conformance", "BABEL");
        info.setProperty("parserFactory", "org.apache.calcite.sql.parser.babel.SqlBabelParserImpl#FACTORY");
        info.setProperty("timeZone", "UTC");
        connection = DriverManager.getConnection("jdbc:calcite:", info);
        connection.unwrap(CalciteConnection.class).getRootSchema().add("k", new AbstractSchema() {
            @Override
            protected Map<String, Table> getTableMap() {
                return TABLES;
            }
        });
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
    }

    @Test
    void integersSortAsCalcite() throws SQLException {
        Random r = random(1);
        check(KalamType.BIGINT, generate(() -> pick(r, r.nextLong(), (long) r.nextInt(200) - 100,
                Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 1L)));
        check(KalamType.INT, generate(() -> pick(r, r.nextInt(), r.nextInt(200) - 100, Integer.MIN_VALUE,
                Integer.MAX_VALUE, 0, -1)));
        check(KalamType.SMALLINT, generate(() -> (short) (int) pick(r,
                r.nextInt(65536) - 32768, r.nextInt(20) - 10, (int) Short.MIN_VALUE, (int) Short.MAX_VALUE, 0)));
        check(KalamType.BOOLEAN, generate(r::nextBoolean));
    }

    @Test
    void timesSortAsCalcite() throws SQLException {
        Random r = random(2);
        // stored as microseconds; Calcite sees milliseconds (floor), so values inside one millisecond tie there
        check(KalamType.TIMESTAMP, generate(() -> pick(r, r.nextLong() / 1000, (long) r.nextInt(4000) - 2000,
                -1L, 0L, 1_700_000_000_000_000L + r.nextInt(10_000))));
        check(KalamType.DATETIME, generate(() -> r.nextLong() / 1000));
        check(KalamType.DATE, generate(() -> pick(r, r.nextInt(2_000_000) - 1_000_000, r.nextInt(20) - 10)));
        check(KalamType.TIME, generate(() -> (long) (r.nextDouble() * 86_400_000_000L)));
    }

    @Test
    void floatingPointSortsAsCalcite() throws SQLException {
        Random r = random(3);
        // Calcite compares numbers as BigDecimal: -0.0 equals 0.0, and it cannot sort infinities or NaN at all
        check(KalamType.DOUBLE, generate(() -> pick(r, r.nextGaussian() * 1e6, r.nextDouble() - 0.5,
                finite(Double.longBitsToDouble(r.nextLong())), 0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE,
                Double.MAX_VALUE, -Double.MAX_VALUE, (double) (r.nextInt(10) - 5))));
        check(KalamType.FLOAT, generate(() -> pick(r, (float) r.nextGaussian() * 1000f, 0f, -0f, 1.5f, -1.5f,
                Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE)));
        // what Calcite cannot sort still has keys in Double.compare order (for the direct path)
        double[] ordered = {Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -1, 0, Double.MIN_VALUE, 1,
            Double.POSITIVE_INFINITY, Double.NaN};
        for (int i = 1; i < ordered.length; i++) {
            assertTrue(Arrays.compareUnsigned(key(KalamType.DOUBLE, ordered[i - 1]),
                    key(KalamType.DOUBLE, ordered[i])) < 0, ordered[i - 1] + " < " + ordered[i]);
        }
    }

    private static double finite(double d) {
        return Double.isFinite(d) ? d : 0.5;
    }

    @Test
    void decimalsSortAsCalcite() throws SQLException {
        Random r = random(4);
        check(KalamType.decimal(38, 10), generate(() -> randomDecimal(r)));
    }

    @Test
    void textSortsAsCalcite() throws SQLException {
        Random r = random(5);
        check(KalamType.TEXT, generate(() -> randomText(r)));
        check(KalamType.JSON, generate(() -> "{\"k\":\"" + randomText(r) + "\"}"));
        // UUID columns are VARCHAR in Calcite: the canonical lowercase text order
        check(KalamType.UUID, generate(() -> new UUID(r.nextLong(), r.nextLong()).toString()));
    }

    @Test
    void bytesSortAsCalcite() throws SQLException {
        Random r = random(6);
        check(KalamType.BYTES, generate(() -> {
            byte[] b = new byte[r.nextInt(6)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (int) pick(r, r.nextInt(256), 0, 0xff, 1, 0x80, 0x7f);
            }
            return b;
        }));
    }

    @Test
    void equalValuesHaveEqualKeys() {
        BigDecimal[] oneAndAHalf = {new BigDecimal("1.5"), new BigDecimal("1.50"), new BigDecimal("1.500000"),
            new BigDecimal("15E-1"), new BigDecimal("0.15E+1")};
        for (BigDecimal d : oneAndAHalf) {
            assertArrayEquals(key(KalamType.decimal(10, 2), oneAndAHalf[0]), key(KalamType.decimal(10, 2), d),
                    d.toString());
        }
        for (String zero : List.of("0", "0.00", "-0.0", "0E+5", "0E-9")) {
            assertArrayEquals(new byte[] {(byte) 0x80}, key(KalamType.decimal(10, 2), new BigDecimal(zero)), zero);
        }
        assertArrayEquals(key(KalamType.decimal(10, 0), new BigDecimal("100")),
                key(KalamType.decimal(10, 0), new BigDecimal("1E+2")));
        assertArrayEquals(key(KalamType.DOUBLE, 0.0), key(KalamType.DOUBLE, -0.0), "-0.0 = 0.0 in SQL");
        assertArrayEquals(key(KalamType.BIGINT, 7L), key(KalamType.INT, 7), "integer widths share one encoding");
        assertArrayEquals(key(KalamType.FLOAT, 1.5f), key(KalamType.DOUBLE, 1.5));
        assertFalse(Arrays.equals(key(KalamType.decimal(10, 2), new BigDecimal("1.5")),
                key(KalamType.decimal(10, 2), new BigDecimal("1.51"))));
    }

    @Test
    void malformedKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> KeyCodec.decodePk(KalamType.TEXT, new byte[] {0x62}));
        assertThrows(IllegalArgumentException.class, () -> KeyCodec.decodePk(KalamType.BIGINT, new byte[4]));
        assertThrows(IllegalArgumentException.class,
                () -> KeyCodec.decodePk(KalamType.TEXT, new byte[] {0x62, 0, 0x62, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> KeyCodec.decodePk(KalamType.BYTES, new byte[] {1, 0, 7, 0, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> KeyCodec.decodePk(KalamType.decimal(10, 2), new byte[] {0x42}));
    }

    /**
     * The property itself: Calcite's ORDER BY (ascending and descending) equals the values sorted by key bytes,
     * where values Calcite cannot tell apart may come in either order; every key decodes to its value, and no key
     * is a prefix of another (a key value can be followed by more key bytes, as in index entries).
     */
    private static void check(KalamType type, List<Object> values) throws SQLException {
        List<byte[]> keys = new ArrayList<>();
        for (Object v : values) {
            byte[] k = key(type, v);
            keys.add(k);
            assertRoundTrip(type, v, k);
        }
        Integer[] byKey = new Integer[values.size()];
        for (int i = 0; i < byKey.length; i++) {
            byKey[i] = i;
        }
        Arrays.sort(byKey, Comparator.comparing(keys::get, Arrays::compareUnsigned));
        List<Integer> asc = calciteOrder(type, values, "");
        List<Integer> desc = calciteOrder(type, values, " DESC");
        int n = values.size();
        for (int i = 0; i < n; i++) {
            Object expected = CalciteTypes.toInternal(type, values.get(asc.get(i)));
            Object actual = CalciteTypes.toInternal(type, values.get(byKey[i]));
            if (!sameForCalcite(expected, actual)) {
                throw new AssertionError(type.sqlName() + ": ascending key order differs from ORDER BY at position "
                        + i + ": ORDER BY has " + show(expected) + ", the keys " + show(actual) + " (seed " + seed
                        + ")");
            }
            Object expectedDesc = CalciteTypes.toInternal(type, values.get(desc.get(i)));
            Object actualDesc = CalciteTypes.toInternal(type, values.get(byKey[n - 1 - i]));
            if (!sameForCalcite(expectedDesc, actualDesc)) {
                throw new AssertionError(type.sqlName() + ": descending key order differs from ORDER BY DESC at "
                        + "position " + i + ": ORDER BY has " + show(expectedDesc) + ", the keys "
                        + show(actualDesc) + " (seed " + seed + ")");
            }
        }
        for (int i = 1; i < n; i++) {
            byte[] a = keys.get(byKey[i - 1]);
            byte[] b = keys.get(byKey[i]);
            if (!Arrays.equals(a, b) && KeyCodec.startsWith(b, a)) {
                throw new AssertionError(type.sqlName() + ": the key of " + show(values.get(byKey[i - 1]))
                        + " is a prefix of the key of " + show(values.get(byKey[i])) + " (seed " + seed + ")");
            }
        }
    }

    private static void assertRoundTrip(KalamType type, Object v, byte[] k) {
        Object back = KeyCodec.decodePk(type, k);
        switch (type.kind()) {
            case DECIMAL -> assertEquals(0, ((BigDecimal) v).compareTo((BigDecimal) back), v + " (seed " + seed + ")");
            case BYTES -> assertArrayEquals((byte[]) v, (byte[]) back, "seed " + seed);
            case FLOAT, DOUBLE -> assertTrue(((Number) v).doubleValue() == ((Number) back).doubleValue()
                    || v.equals(back), v + " (seed " + seed + ")");
            default -> assertEquals(v, back, "seed " + seed);
        }
    }

    /** Row numbers of {@code values} as {@code SELECT n FROM t ORDER BY v [DESC]} returns them. */
    private static List<Integer> calciteOrder(KalamType type, List<Object> values, String direction)
            throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            rows.add(new Object[] {CalciteTypes.toInternal(type, values.get(i)), i});
        }
        String name = "t" + TABLES.size();
        TABLES.put(name, new ValuesTable(type, rows));
        List<Integer> order = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT n FROM k." + name + " ORDER BY v" + direction)) {
            while (rs.next()) {
                order.add(rs.getInt(1));
            }
        }
        assertEquals(values.size(), order.size());
        return order;
    }

    /** Whether Calcite's sort cannot tell the two (internal) values apart. */
    private static boolean sameForCalcite(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        if (a instanceof Double || a instanceof Float) {
            double x = ((Number) a).doubleValue();
            double y = ((Number) b).doubleValue();
            return x == y || (Double.isNaN(x) && Double.isNaN(y));
        }
        return a.equals(b);
    }

    /** A table of (v, n) rows in Calcite's internal representation, v of a KalamDB type's Calcite type. */
    private static final class ValuesTable extends AbstractTable implements ScannableTable {
        private final KalamType type;
        private final List<Object[]> rows;

        ValuesTable(KalamType type, List<Object[]> rows) {
            this.type = type;
            this.rows = rows;
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory f) {
            return f.builder().add("v", CalciteTypes.relType(f, type, false))
                    .add("n", f.createSqlType(SqlTypeName.INTEGER)).build();
        }

        @Override
        public Enumerable<Object[]> scan(DataContext root) {
            return Linq4j.asEnumerable(rows);
        }
    }

    private static byte[] key(KalamType type, Object v) {
        return KeyCodec.encodePk(type, v);
    }

    private static Random random(int test) {
        return new Random(seed * 31 + test);
    }

    private static List<Object> generate(java.util.function.Supplier<Object> next) {
        List<Object> values = new ArrayList<>(VALUES_PER_TYPE);
        for (int i = 0; i < VALUES_PER_TYPE; i++) {
            values.add(next.get());
        }
        return values;
    }

    /** The first candidate half of the time, otherwise one of the others (the edge cases). */
    @SafeVarargs
    private static <T> T pick(Random r, T first, T... others) {
        return r.nextBoolean() ? first : others[r.nextInt(others.length)];
    }

    private static BigDecimal randomDecimal(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> BigDecimal.valueOf(r.nextInt(41) - 20, r.nextInt(4)); // small, mixed scales: 1.5 and 1.50
            case 1 -> new BigDecimal(new BigInteger(r.nextInt(126) + 1, r), r.nextInt(60) - 20)
                    .multiply(BigDecimal.valueOf(r.nextBoolean() ? 1 : -1));
            case 2 -> BigDecimal.ZERO.setScale(r.nextInt(5));
            case 3 -> new BigDecimal((r.nextBoolean() ? "-" : "") + "1E" + (r.nextInt(80) - 40));
            case 4 -> new BigDecimal((r.nextBoolean() ? "-" : "") + "9".repeat(r.nextInt(20) + 1) + "E"
                    + (r.nextInt(10) - 5));
            default -> BigDecimal.valueOf(r.nextGaussian() * 1e7).setScale(r.nextInt(6), java.math.RoundingMode.DOWN);
        };
    }

    private static final char[] TEXT_POOL = {'a', 'b', 'A', 'Z', '0', ' ', '\u0000', '\u0001', '\u007e', '\u007f',
        '\u0080', '\u00e9', '\u00ff', '\u07ff', '\u0800', '\u4e2d', '\ud7ff', '\ue000', '\uf8ff', '\ufffd', '\uffff'};

    /** Short strings over a pool with shared prefixes, plus random code units, pairs and lone surrogates. */
    private static String randomText(Random r) {
        StringBuilder s = new StringBuilder();
        int length = r.nextInt(6);
        for (int i = 0; i < length; i++) {
            switch (r.nextInt(6)) {
                case 0, 1, 2 -> s.append(TEXT_POOL[r.nextInt(TEXT_POOL.length)]);
                case 3 -> s.appendCodePoint(0x10000 + r.nextInt(0x100000)); // a surrogate pair
                case 4 -> s.append((char) (0xd800 + r.nextInt(0x800))); // a lone surrogate
                default -> s.append((char) r.nextInt(0x10000));
            }
        }
        return s.toString();
    }

    private static String show(Object v) {
        if (v instanceof ByteString b) {
            return "x'" + b.toString() + "'";
        }
        if (v instanceof byte[] b) {
            return "x'" + java.util.HexFormat.of().formatHex(b) + "'";
        }
        if (v instanceof String s) {
            StringBuilder out = new StringBuilder("'");
            for (char c : s.toCharArray()) {
                out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
            return out.append('\'').toString();
        }
        return String.valueOf(v);
    }
}
