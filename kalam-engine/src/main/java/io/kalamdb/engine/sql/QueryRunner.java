package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.NamespaceDef;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.error.ErrorText;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotStore;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;

import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.parser.SqlParseException;

/**
 * Runs queries through Apache Calcite over JDBC. Each worker thread keeps its own Calcite connection and a
 * cache of prepared statements (planning costs milliseconds; executing a cached plan does not); both are
 * rebuilt when the catalog changes.
 */
public final class QueryRunner {
    private static final int PLAN_CACHE_SIZE = 256;
    /** Plans of longer texts are not kept, so the per-thread caches stay small. */
    private static final int MAX_CACHED_SQL_LENGTH = 8 * 1024;
    private static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone("UTC"));

    static {
        try {
            Class.forName("org.apache.calcite.jdbc.Driver");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Catalog catalog;
    private final HotStore store;
    private final SystemTables systemTables;
    private final ThreadLocal<Conn> connections = new ThreadLocal<>();

    public QueryRunner(Catalog catalog, HotStore store, SystemTables systemTables) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.store = requireNonNull(store, "store is null");
        this.systemTables = requireNonNull(systemTables, "systemTables is null");
    }

    /** A query's columns and rows (stored representation), and whether more rows than {@code maxRows} exist. */
    public record Output(List<ColumnInfo> schema, List<Object[]> rows, boolean hasMore) {
    }

    /**
     * Runs one query ({@code ?} parameters) in the given scope.
     *
     * @param maxRows rows to return at most; one more is read to tell whether the result was cut
     */
    public Output run(String sql, List<Object> params, String defaultNamespace, ScanScope scope, int maxRows) {
        return scope.run(() -> {
            Conn conn = connection();
            PreparedStatement ps = conn.prepare(sql, defaultNamespace);
            boolean cached = sql.length() <= MAX_CACHED_SQL_LENGTH;
            try {
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, jdbcParam(params.get(i)));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return read(rs, maxRows);
                }
            } catch (SQLException | RuntimeException e) {
                throw translate(e, sql);
            } finally {
                if (!cached) {
                    closeQuietly(ps);
                }
            }
        });
    }

    private static Object jdbcParam(Object value) {
        if (value instanceof byte[] b) {
            return new org.apache.calcite.avatica.util.ByteString(b);
        }
        return value;
    }

    private Output read(ResultSet rs, int maxRows) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<ColumnInfo> schema = new ArrayList<>(n);
        int[] jdbcTypes = new int[n];
        for (int i = 1; i <= n; i++) {
            jdbcTypes[i - 1] = md.getColumnType(i);
            schema.add(columnInfo(md, i));
        }
        List<Object[]> rows = new ArrayList<>();
        boolean hasMore = false;
        while (rs.next()) {
            if (rows.size() >= maxRows) {
                hasMore = true;
                break;
            }
            Object[] row = new Object[n];
            for (int i = 1; i <= n; i++) {
                row[i - 1] = value(rs, i, jdbcTypes[i - 1], schema.get(i - 1).type());
            }
            rows.add(row);
        }
        return new Output(schema, rows, hasMore);
    }

    private ColumnInfo columnInfo(ResultSetMetaData md, int i) throws SQLException {
        String label = md.getColumnLabel(i);
        String schemaName = md.getSchemaName(i);
        String tableName = md.getTableName(i);
        String columnName = md.getColumnName(i);
        if (tableName != null && !tableName.isEmpty() && schemaName != null && !schemaName.isEmpty()) {
            TableDef t = catalog.table(schemaName, tableName);
            ColumnDef c = t == null ? null : t.column(columnName);
            if (c != null) {
                List<String> flags = new ArrayList<>();
                if (c.primaryKey()) {
                    flags.add("pk");
                }
                if (c.primaryKey() || !c.nullable()) {
                    flags.add("nn");
                }
                if (c.primaryKey()) {
                    flags.add("uq");
                }
                return new ColumnInfo(label, c.type(), flags);
            }
            if (SystemTables.NAMESPACE.equalsIgnoreCase(schemaName)) {
                SystemTable st = systemTables.get(tableName);
                if (st != null) {
                    for (ColumnInfo ci : st.columns()) {
                        if (ci.name().equalsIgnoreCase(columnName)) {
                            return new ColumnInfo(label, ci.type(), ci.flags());
                        }
                    }
                }
            }
        }
        return new ColumnInfo(label, CalciteTypes.fromJdbc(md.getColumnType(i), md.getPrecision(i),
                md.getScale(i)), List.of());
    }

    private static Object value(ResultSet rs, int i, int jdbcType, KalamType type) throws SQLException {
        Object v = switch (jdbcType) {
            case Types.BIGINT -> rs.getLong(i);
            case Types.INTEGER -> type.kind() == KalamType.Kind.INT ? (Object) rs.getInt(i) : (Object) rs.getLong(i);
            case Types.SMALLINT, Types.TINYINT -> rs.getShort(i);
            case Types.BOOLEAN, Types.BIT -> rs.getBoolean(i);
            case Types.REAL -> rs.getFloat(i);
            case Types.FLOAT, Types.DOUBLE -> rs.getDouble(i);
            case Types.DECIMAL, Types.NUMERIC -> rs.getBigDecimal(i);
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> rs.getBytes(i);
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> {
                java.sql.Timestamp t = rs.getTimestamp(i, UTC);
                yield t == null ? null : t.getTime() * 1000L;
            }
            case Types.DATE -> {
                java.sql.Date d = rs.getDate(i, UTC);
                yield d == null ? null : (int) Math.floorDiv(d.getTime(), 86_400_000L);
            }
            case Types.TIME -> {
                java.sql.Time t = rs.getTime(i, UTC);
                yield t == null ? null : Math.floorMod(t.getTime(), 86_400_000L) * 1000L;
            }
            default -> {
                Object o = rs.getObject(i);
                yield o == null ? null : o.toString();
            }
        };
        if (rs.wasNull()) {
            return null;
        }
        if (v instanceof BigDecimal d && type.kind() == KalamType.Kind.DECIMAL && d.scale() != type.scale()) {
            return d.setScale(type.scale(), java.math.RoundingMode.HALF_UP);
        }
        return v;
    }

    /** Maps a Calcite failure to INVALID_SQL (syntax) or SQL_EXECUTION_ERROR (validation, execution). */
    static KalamException translate(Throwable e, String sql) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KalamException k) {
                return k;
            }
            if (t instanceof SqlParseException p && p.getCause() instanceof StackOverflowError) {
                return new KalamException(KalamErrorCode.INVALID_SQL, "statement too deeply nested", p);
            }
            if (t instanceof SqlParseException p) {
                int line = p.getPos() == null ? 0 : p.getPos().getLineNum();
                int col = p.getPos() == null ? 0 : p.getPos().getColumnNum();
                return new KalamException(KalamErrorCode.INVALID_SQL, firstLine(p.getMessage()), line, col, p);
            }
            if (t instanceof CalciteContextException c) {
                return new KalamException(KalamErrorCode.SQL_EXECUTION_ERROR, c.getMessage(),
                        c.getPosLine(), c.getPosColumn(), c);
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new KalamException(KalamErrorCode.SQL_EXECUTION_ERROR, publicMessage(root), e);
    }

    /** What a client is told of an execution failure: the message when it is fit to show, else what went wrong. */
    private static String publicMessage(Throwable root) {
        String message = root.getMessage() == null ? null : firstLine(root.getMessage());
        if (root instanceof ClassCastException) {
            return "a value has the wrong type for this operation (check the types of the parameters and columns)";
        }
        if (root instanceof NumberFormatException) {
            return "invalid number in the statement or its parameters";
        }
        if (root instanceof ArithmeticException && !ErrorText.looksInternal(message)) {
            return "arithmetic error: " + message;
        }
        if (root instanceof StackOverflowError) {
            return "statement too deeply nested";
        }
        return ErrorText.looksInternal(message) ? "the statement could not be executed" : message;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid SQL";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }

    private Conn connection() {
        Conn c = connections.get();
        long version = catalog.version();
        if (c == null || c.version != version) {
            if (c != null) {
                c.close();
            }
            c = new Conn(version);
            connections.set(c);
        }
        return c;
    }

    /** One thread's Calcite connection with its schemas and plan cache, valid for one catalog version. */
    private final class Conn {
        final long version;
        final Connection connection;
        final CalciteConnection calcite;
        final Map<String, PreparedStatement> plans = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                if (size() > PLAN_CACHE_SIZE) {
                    closeQuietly(eldest.getValue());
                    return true;
                }
                return false;
            }
        };

        Conn(long version) {
            this.version = version;
            try {
                Properties info = new Properties();
                info.setProperty("caseSensitive", "false");
                info.setProperty("quoting", "DOUBLE_QUOTE");
                info.setProperty("quotedCasing", "UNCHANGED");
                info.setProperty("unquotedCasing", "UNCHANGED");
                info.setProperty("conformance", "BABEL");
                info.setProperty("parserFactory",
                        "org.apache.calcite.sql.parser.babel.SqlBabelParserImpl#FACTORY");
                info.setProperty("timeZone", "UTC");
                this.connection = DriverManager.getConnection("jdbc:calcite:", info);
                this.calcite = connection.unwrap(CalciteConnection.class);
                SchemaPlus root = calcite.getRootSchema();
                for (NamespaceDef ns : catalog.namespaces()) {
                    Map<String, Table> tables = new HashMap<>();
                    for (TableDef t : catalog.tables(ns.name())) {
                        tables.put(t.name(), new KalamTable(t, store));
                    }
                    root.add(ns.name(), new FixedSchema(tables));
                }
                root.add(SystemTables.NAMESPACE, new FixedSchema(new HashMap<>(systemTables.all())));
                root.add("NOW", ScalarFunctionImpl.create(KalamFunctions.class, "now"));
                root.add("SNOWFLAKE_ID", ScalarFunctionImpl.create(KalamFunctions.class, "snowflakeId"));
                root.add("UUID_V7", ScalarFunctionImpl.create(KalamFunctions.class, "uuidV7"));
                root.add("ULID", ScalarFunctionImpl.create(KalamFunctions.class, "ulid"));
                root.add("KALAM_CURRENT_USER", ScalarFunctionImpl.create(KalamFunctions.class, "kalamCurrentUser"));
            } catch (SQLException e) {
                throw KalamException.internal("cannot open the SQL planner: " + e.getMessage(), e);
            }
        }

        PreparedStatement prepare(String sql, String defaultNamespace) {
            String key = defaultNamespace + '\u0000' + sql;
            PreparedStatement ps = plans.get(key);
            if (ps == null) {
                try {
                    calcite.setSchema(defaultNamespace);
                    ps = connection.prepareStatement(sql);
                } catch (SQLException | RuntimeException e) {
                    throw translate(e, sql);
                }
                if (sql.length() <= MAX_CACHED_SQL_LENGTH) {
                    plans.put(key, ps);
                }
            }
            return ps;
        }

        void close() {
            for (PreparedStatement ps : plans.values()) {
                closeQuietly(ps);
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being replaced
            }
        }
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException ignored) {
            // evicted plan
        }
    }

    /** A schema whose tables are fixed when the connection is built. */
    private static final class FixedSchema extends AbstractSchema {
        private final Map<String, Table> tables;

        FixedSchema(Map<String, Table> tables) {
            this.tables = tables;
        }

        @Override
        protected Map<String, Table> getTableMap() {
            return tables;
        }
    }
}
