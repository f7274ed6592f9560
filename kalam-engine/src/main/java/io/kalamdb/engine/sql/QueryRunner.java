package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.ColumnInfo;
import io.kalamdb.engine.Session;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.NamespaceDef;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.error.ErrorText;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotPartitionReader;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.PartitionReader;

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

import org.apache.calcite.avatica.AvaticaSite;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.sql.parser.SqlParseException;

/**
 * Runs queries through Apache Calcite over JDBC. Each worker thread keeps its own Calcite connection and a
 * cache of prepared statements (planning costs milliseconds; executing a cached plan does not); both are
 * rebuilt when the catalog changes. Every plan remembers the tables its converted relational tree reads, and
 * every run checks them against the caller's rights first: this is the one door of SQL to stored rows.
 */
public final class QueryRunner {
    private static final int PLAN_CACHE_SIZE = 256;
    /** Plans of longer texts are not kept, so the per-thread caches stay small. */
    private static final int MAX_CACHED_SQL_LENGTH = 8 * 1024;
    private static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone("UTC"),
            java.util.Locale.ROOT);
    /**
     * Texts Calcite answers without converting them to a plan (CalcitePrepareImpl.SIMPLE_SQLS): they read no
     * table. Any other text that prepares without a converted plan is refused, so nothing runs unchecked.
     */
    private static final java.util.Set<String> UNPLANNED_CONSTANTS = java.util.Set.of("SELECT 1", "select 1",
            "SELECT 1 FROM DUAL", "select 1 from dual", "values 1", "VALUES 1");

    static {
        try {
            Class.forName("org.apache.calcite.jdbc.Driver");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Catalog catalog;
    private final PartitionReader reader;
    private final SystemTables systemTables;
    private final TableRights rights;
    private final ThreadLocal<Conn> connections = new ThreadLocal<>();

    public QueryRunner(Catalog catalog, HotStore store, SystemTables systemTables) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.reader = new HotPartitionReader(requireNonNull(store, "store is null"));
        this.systemTables = requireNonNull(systemTables, "systemTables is null");
        this.rights = new TableRights(catalog);
    }

    /**
     * A JDBC prepared statement (of an authorised text) and its result columns once known (they depend on the plan
     * only, so they are read from the result set's metadata once, not on every run). Streams use it.
     */
    private static final class Plan {
        private final PreparedStatement statement;
        private List<ColumnInfo> schema;
        private int[] jdbcTypes;

        Plan(PreparedStatement statement) {
            this.statement = statement;
        }

        PreparedStatement statement() {
            return statement;
        }
    }

    /**
     * A cached plan: Calcite's prepared signature (its compiled code), the tables it reads and its result columns.
     * It runs without Calcite's JDBC layer ({@link #run}); a plan with a result column whose internal value this
     * class does not convert itself keeps a JDBC statement, prepared on its first run, and runs through it.
     */
    private static final class CachedPlan {
        private final CalcitePrepare.CalciteSignature<Object> signature;
        private final List<PlannedTables.Name> reads;
        private final List<ColumnInfo> schema;
        private final int[] jdbcTypes;
        private final boolean direct;
        private Plan jdbc;

        CachedPlan(CalcitePrepare.CalciteSignature<Object> signature, List<PlannedTables.Name> reads,
                   List<ColumnInfo> schema, int[] jdbcTypes, boolean direct) {
            this.signature = signature;
            this.reads = reads;
            this.schema = schema;
            this.jdbcTypes = jdbcTypes;
            this.direct = direct;
        }

        void close() {
            if (jdbc != null) {
                closeQuietly(jdbc.statement());
            }
        }
    }

    /** A query's columns and rows (stored representation), and whether more rows than {@code maxRows} exist. */
    public record Output(List<ColumnInfo> schema, List<Object[]> rows, boolean hasMore) {
    }

    /**
     * The tables the plan of {@code sql} reads, or null when Calcite cannot plan it now (for example a table of
     * the text does not exist yet); then {@link #run} reports the error, after the same check. When the text
     * converts to a plan but cannot be implemented, the tables are still returned, so that a permission failure
     * wins over the planning error.
     */
    public List<PlannedTables.Name> reads(String sql, String defaultNamespace) {
        try {
            return connection().prepare(sql, defaultNamespace, null).reads;
        } catch (PlanFailure f) {
            return f.reads;
        } catch (KalamException e) {
            return null;
        }
    }

    /** {@link #run(String, List, String, Session, ScanScope, int, ResultBudget)} with no byte budget (DML reads). */
    public Output run(String sql, List<Object> params, String defaultNamespace, Session session, ScanScope scope,
                      int maxRows) {
        return run(sql, params, defaultNamespace, session, scope, maxRows, ResultBudget.unlimited());
    }

    /**
     * Runs one query ({@code ?} parameters) in the given scope, once {@code session} is known to have read rights
     * on every table its plan reads (PERMISSION_DENIED otherwise, before any row is read).
     *
     * @param maxRows rows to return at most; one more is read to tell whether the result was cut
     * @param budget the bytes the rows may hold; the rows stop (and the result is cut) where it runs out
     */
    public Output run(String sql, List<Object> params, String defaultNamespace, Session session, ScanScope scope,
                      int maxRows, ResultBudget budget) {
        requireNonNull(session, "session is null");
        return scope.run(() -> {
            Conn conn = connection();
            CachedPlan plan;
            try {
                plan = conn.prepare(sql, defaultNamespace, session);
            } catch (PlanFailure f) {
                throw f.error;
            }
            try {
                if (plan.direct) {
                    return conn.execute(plan, params, maxRows, budget);
                }
                boolean cached = sql.length() <= MAX_CACHED_SQL_LENGTH;
                if (plan.jdbc == null) {
                    plan.jdbc = conn.prepareStatement(sql, defaultNamespace, null);
                }
                PreparedStatement ps = plan.jdbc.statement();
                try {
                    for (int i = 0; i < params.size(); i++) {
                        ps.setObject(i + 1, jdbcParam(params.get(i)));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        return read(rs, maxRows, plan.jdbc, budget);
                    }
                } finally {
                    if (!cached) {
                        closeQuietly(ps);
                        plan.jdbc = null;
                    }
                }
            } catch (PlanFailure f) {
                throw f.error;
            } catch (SQLException | RuntimeException e) {
                throw translate(e, sql);
            }
        });
    }

    private static Object jdbcParam(Object value) {
        if (value instanceof byte[] b) {
            return new org.apache.calcite.avatica.util.ByteString(b);
        }
        return value;
    }

    /**
     * Opens one query as a stream of rows that nobody caps, once {@code session} may read every table its plan
     * reads. It runs on a Calcite connection of its own (not this thread's cached one), so its batches may be read
     * on any thread, one at a time, until the stream is closed; {@code scope} is set again for every batch.
     */
    public QueryStream open(String sql, List<Object> params, String defaultNamespace, Session session,
                            ScanScope scope) {
        requireNonNull(session, "session is null");
        Conn conn = new Conn(catalog.version());
        try {
            return scope.run(() -> {
                Plan plan;
                try {
                    plan = conn.prepareStatement(sql, defaultNamespace, session);
                } catch (PlanFailure f) {
                    throw f.error;
                }
                try {
                    PreparedStatement ps = plan.statement();
                    for (int i = 0; i < params.size(); i++) {
                        ps.setObject(i + 1, jdbcParam(params.get(i)));
                    }
                    ResultSet rs = ps.executeQuery();
                    describe(rs, plan);
                    return new QueryStream(sql, plan.schema, plan.jdbcTypes, rs, scope, conn::close);
                } catch (SQLException | RuntimeException e) {
                    throw translate(e, sql);
                }
            });
        } catch (RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    private Output read(ResultSet rs, int maxRows, Plan plan, ResultBudget budget) throws SQLException {
        describe(rs, plan);
        List<ColumnInfo> schema = plan.schema;
        int[] jdbcTypes = plan.jdbcTypes;
        List<Object[]> rows = new ArrayList<>();
        boolean hasMore = false;
        while (rs.next()) {
            if (rows.size() >= maxRows) {
                hasMore = true;
                break;
            }
            Object[] row = row(rs, jdbcTypes, schema);
            if (!budget.admit(row)) {
                hasMore = true;
                break;
            }
            rows.add(row);
        }
        return new Output(schema, rows, hasMore);
    }

    /** The current row of {@code rs} in its stored representation. */
    static Object[] row(ResultSet rs, int[] jdbcTypes, List<ColumnInfo> schema) throws SQLException {
        Object[] row = new Object[jdbcTypes.length];
        for (int i = 1; i <= jdbcTypes.length; i++) {
            row[i - 1] = value(rs, i, jdbcTypes[i - 1], schema.get(i - 1).type());
        }
        return row;
    }

    /** Reads the plan's result columns from {@code rs} the first time it runs. */
    private void describe(ResultSet rs, Plan plan) throws SQLException {
        if (plan.schema == null) {
            ResultSetMetaData md = rs.getMetaData();
            int columns = md.getColumnCount();
            List<ColumnInfo> columnInfos = new ArrayList<>(columns);
            int[] types = new int[columns];
            for (int i = 1; i <= columns; i++) {
                types[i - 1] = md.getColumnType(i);
                columnInfos.add(columnInfo(md, i));
            }
            plan.jdbcTypes = types;
            plan.schema = List.copyOf(columnInfos);
        }
    }

    private ColumnInfo columnInfo(ResultSetMetaData md, int i) throws SQLException {
        return columnInfo(md.getColumnLabel(i), md.getSchemaName(i), md.getTableName(i), md.getColumnName(i),
                md.getColumnType(i), md.getPrecision(i), md.getScale(i));
    }

    private ColumnInfo columnInfo(String label, String schemaName, String tableName, String columnName,
                                  int jdbcType, int precision, int scale) {
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
        return new ColumnInfo(label, CalciteTypes.fromJdbc(jdbcType, precision, scale), List.of());
    }

    @SuppressWarnings("NullTernary") // the switch yields Objects: a null arm is never unboxed (Error Prone misreads it)
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

    /**
     * Maps a Calcite failure to INVALID_SQL (syntax), TABLE_NOT_FOUND or COLUMN_NOT_FOUND (an unknown table or
     * column) or SQL_EXECUTION_ERROR (any other validation or execution failure).
     */
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
                java.util.regex.Matcher table = UNKNOWN_TABLE.matcher(c.getMessage() == null ? "" : c.getMessage());
                if (table.find()) {
                    return new KalamException(KalamErrorCode.TABLE_NOT_FOUND, "table '" + (table.group(2) == null
                            ? "" : table.group(2) + ".") + table.group(1) + "' not found", c.getPosLine(),
                            c.getPosColumn(), c);
                }
                String column = unknownColumn(c.getMessage());
                if (column != null) {
                    return new KalamException(KalamErrorCode.COLUMN_NOT_FOUND, "column '" + column + "' not found",
                            c.getPosLine(), c.getPosColumn(), c);
                }
                return new KalamException(KalamErrorCode.SQL_EXECUTION_ERROR, validationMessage(c.getMessage()),
                        c.getPosLine(), c.getPosColumn(), c);
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new KalamException(KalamErrorCode.SQL_EXECUTION_ERROR, publicMessage(root), e);
    }

    private static final java.util.regex.Pattern UNKNOWN_TABLE = java.util.regex.Pattern.compile(
            "Object '([^']*)' not found(?: within '([^']*)')?");
    private static final java.util.regex.Pattern UNKNOWN_COLUMN = java.util.regex.Pattern.compile(
            "(?:The definition of column '([^']*)' depends on itself|Column '([^']*)' not found in any table)");

    /**
     * The column a Calcite validation message says is unknown, or null. Calcite reports an unknown column of a
     * single-table SELECT as one that "depends on itself" (Babel's alias lookup); both spellings are recognised.
     */
    private static String unknownColumn(String message) {
        java.util.regex.Matcher m = UNKNOWN_COLUMN.matcher(message == null ? "" : message);
        if (m.find()) {
            return m.group(1) != null ? m.group(1) : m.group(2);
        }
        return null;
    }

    private static String validationMessage(String message) {
        return message == null ? "invalid SQL" : message;
    }

    private static final java.util.regex.Pattern COLUMN_NOT_FOUND = java.util.regex.Pattern.compile(
            "^column '(.*)' not found$");

    /**
     * An unknown column of a statement that names exactly one table, with that table named
     * ({@code column 'x' not found in table 'ns.t'}); any other error as it is.
     */
    static KalamException namingTable(KalamException error, String sql, String defaultNamespace) {
        if (error.code() != KalamErrorCode.COLUMN_NOT_FOUND) {
            return error;
        }
        java.util.regex.Matcher m = COLUMN_NOT_FOUND.matcher(error.getMessage());
        if (!m.matches()) {
            return error;
        }
        String text = sql.regionMatches(true, 0, "EXPLAIN PLAN FOR ", 0, 17) ? sql.substring(17) : sql;
        List<List<String>> tables;
        try {
            tables = CalciteSql.tableNames(CalciteSql.parse(text));
        } catch (RuntimeException e) {
            return error;
        }
        if (tables.size() != 1) {
            return error;
        }
        Stmt.TableRef ref = KalamParser.tableRef(tables.get(0), defaultNamespace);
        return new KalamException(KalamErrorCode.COLUMN_NOT_FOUND, "column '" + m.group(1) + "' not found in table '"
                + ref.qualified() + "'", error.line(), error.column(), error.getCause());
    }

    /** What a client is told of an execution failure: the message when it is fit to show, else what went wrong. */
    private static String publicMessage(Throwable root) {
        String message = root.getMessage() == null ? null : firstLine(root.getMessage());
        if (root instanceof ClassCastException) {
            return "a value has the wrong type for this operation (check the types of the parameters and columns)";
        }
        if (root instanceof NumberFormatException) {
            return invalidNumber(message);
        }
        if (root instanceof ArithmeticException && !ErrorText.looksInternal(message)) {
            return "arithmetic error: " + message;
        }
        if (root instanceof StackOverflowError) {
            return "statement too deeply nested";
        }
        return ErrorText.looksInternal(message) ? "the statement could not be executed" : message;
    }

    /** "invalid number: 'abc'" when the JDK names the text that is not a number, else a message without it. */
    private static String invalidNumber(String message) {
        String prefix = "For input string: \"";
        if (message != null && message.startsWith(prefix) && message.endsWith("\"")
                && message.length() <= prefix.length() + 65) {
            return "invalid number: '" + message.substring(prefix.length(), message.length() - 1) + "'";
        }
        return "invalid number in the statement or its parameters";
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
        final Calendar calendar = Calendar.getInstance(TimeZone.getTimeZone("UTC"), java.util.Locale.ROOT);
        final Map<String, CachedPlan> plans = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CachedPlan> eldest) {
                if (size() > PLAN_CACHE_SIZE) {
                    eldest.getValue().close();
                    return true;
                }
                return false;
            }
        };

        Conn(long version) {
            this.version = version;
            try {
                Properties info = CalciteConnections.properties();
                this.connection = DriverManager.getConnection("jdbc:calcite:", info);
                this.calcite = connection.unwrap(CalciteConnection.class);
                SchemaPlus root = calcite.getRootSchema();
                for (NamespaceDef ns : catalog.namespaces()) {
                    Map<String, Table> tables = new HashMap<>();
                    for (TableDef t : catalog.tables(ns.name())) {
                        tables.put(t.name(), new KalamTable(t, reader));
                    }
                    root.add(ns.name(), new FixedSchema(tables));
                }
                root.add(SystemTables.NAMESPACE, new FixedSchema(new HashMap<>(systemTables.all())));
                CalciteConnections.addFunctions(root);
            } catch (SQLException e) {
                throw KalamException.internal("cannot open the SQL planner: " + e.getMessage(), e);
            }
        }

        /**
         * The cached plan of {@code sql}, planned now if needed through Calcite's prepare API (what the JDBC
         * statement does inside, without the statement), after checking that {@code session} (when not null) may
         * read what it reads.
         */
        CachedPlan prepare(String sql, String defaultNamespace, Session session) {
            String key = defaultNamespace + '\u0000' + sql;
            CachedPlan plan = plans.get(key);
            if (plan == null) {
                Planned<CalcitePrepare.CalciteSignature<Object>> planned = plan(sql, defaultNamespace, session, () -> {
                    CalcitePrepare.Context context = calcite.createPrepareContext();
                    CalcitePrepare.Dummy.push(context);
                    try {
                        return new CalcitePrepareImpl().prepareSql(context, CalcitePrepare.Query.of(sql),
                                Object[].class, -1);
                    } finally {
                        CalcitePrepare.Dummy.pop(context);
                    }
                });
                plan = cachedPlan(planned.prepared, planned.reads);
                if (sql.length() <= MAX_CACHED_SQL_LENGTH) {
                    plans.put(key, plan);
                }
            } else if (session != null) {
                rights.checkReads(plan.reads, session);
            }
            return plan;
        }

        /** A JDBC statement of {@code sql}, not cached, once {@code session} (when not null) may read what it reads. */
        Plan prepareStatement(String sql, String defaultNamespace, Session session) {
            Planned<PreparedStatement> planned = plan(sql, defaultNamespace, session,
                    () -> connection.prepareStatement(sql));
            return new Plan(planned.prepared);
        }

        /**
         * Prepares {@code sql} with {@code preparer}, capturing the converted tree before Calcite implements it, and
         * checks the tables it reads against {@code session} (when not null); a text that converts but fails to
         * prepare is still checked before its error is reported.
         */
        private <T> Planned<T> plan(String sql, String defaultNamespace, Session session, Preparer<T> preparer) {
            List<RelNode> converted = new ArrayList<>(1);
            T prepared;
            try (Hook.Closeable ignored = Hook.CONVERTED.addThread((RelNode rel) -> converted.add(rel));
                 Hook.Closeable topK = TopKPlanning.onThisThread()) {
                calcite.setSchema(defaultNamespace);
                prepared = preparer.prepare();
            } catch (SQLException | RuntimeException e) {
                KalamException error = namingTable(translate(e, sql), sql, defaultNamespace);
                if (converted.isEmpty()) {
                    throw error;
                }
                List<PlannedTables.Name> reads = readsOf(converted);
                if (session != null) {
                    rights.checkReads(reads, session);
                }
                throw new PlanFailure(reads, error);
            }
            if (converted.isEmpty() && !UNPLANNED_CONSTANTS.contains(sql)) {
                if (prepared instanceof PreparedStatement ps) {
                    closeQuietly(ps);
                }
                throw KalamException.internal("the planner produced no relational plan to authorise", null);
            }
            List<PlannedTables.Name> reads = readsOf(converted);
            if (session != null) {
                rights.checkReads(reads, session);
            }
            return new Planned<>(prepared, reads);
        }

        /**
         * Runs a cached plan straight on Calcite's compiled code: binds the parameters as the JDBC statement would
         * (same conversions, same errors), hands the code a {@link RunContext} and converts each row from Calcite's
         * internal values to the stored representation.
         */
        Output execute(CachedPlan plan, List<Object> params, int maxRows, ResultBudget budget) throws SQLException {
            CalcitePrepare.CalciteSignature<Object> signature = plan.signature;
            int count = signature.parameters.size();
            if (params.size() > count) {
                throw new SQLException("parameter ordinal " + (count + 1) + " out of range");
            }
            TypedValue[] slots = new TypedValue[count];
            for (int i = 0; i < params.size(); i++) {
                new AvaticaSite(signature.parameters.get(i), calendar, i, slots).setObject(jdbcParam(params.get(i)));
            }
            Object[] values = new Object[count];
            for (int i = 0; i < count; i++) {
                if (slots[i] == null) {
                    throw new SQLException("exception while executing query: unbound parameter");
                }
                values[i] = slots[i].toLocal();
            }
            RunContext context = new RunContext(signature.rootSchema == null ? null : signature.rootSchema.plus(),
                    calcite.getTypeFactory(), calcite, values, signature.internalParameters);
            List<ColumnInfo> schema = plan.schema;
            int[] jdbcTypes = plan.jdbcTypes;
            Meta.Style style = signature.cursorFactory.style;
            List<Object[]> rows = new ArrayList<>();
            boolean hasMore = false;
            try (Enumerator<Object> it = signature.enumerable(context).enumerator()) {
                while (it.moveNext()) {
                    if (rows.size() >= maxRows) {
                        hasMore = true;
                        break;
                    }
                    Object current = it.current();
                    Object[] row = new Object[jdbcTypes.length];
                    for (int i = 0; i < row.length; i++) {
                        Object internal = style == Meta.Style.OBJECT ? current : ((Object[]) current)[i];
                        row[i] = stored(internal, jdbcTypes[i], schema.get(i).type());
                    }
                    if (!budget.admit(row)) {
                        hasMore = true;
                        break;
                    }
                    rows.add(row);
                }
            }
            return new Output(schema, rows, hasMore);
        }

        void close() {
            for (CachedPlan plan : plans.values()) {
                plan.close();
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being replaced
            }
        }
    }

    /** How a connection prepares one text (inside the hooks that capture its plan). */
    private interface Preparer<T> {
        T prepare() throws SQLException;
    }

    /** What a text prepared to, with the tables its converted plan reads. */
    private record Planned<T>(T prepared, List<PlannedTables.Name> reads) {
    }

    /**
     * The cached form of a signature: its result columns, and whether every one of them is of a type whose internal
     * value {@link #stored} converts (and the rows come as arrays or single values), so the plan may run directly.
     */
    private CachedPlan cachedPlan(CalcitePrepare.CalciteSignature<Object> signature, List<PlannedTables.Name> reads) {
        List<ColumnMetaData> columns = signature.columns;
        List<ColumnInfo> schema = new ArrayList<>(columns.size());
        int[] types = new int[columns.size()];
        Meta.Style style = signature.cursorFactory.style;
        boolean direct = style == Meta.Style.ARRAY || (style == Meta.Style.OBJECT && columns.size() == 1);
        for (int i = 0; i < columns.size(); i++) {
            ColumnMetaData c = columns.get(i);
            types[i] = c.type.id;
            direct &= DIRECT_TYPES.contains(c.type.id) && (!TEMPORAL_TYPES.contains(c.type.id)
                    || NUMERIC_REPS.contains(c.type.rep));
            schema.add(columnInfo(c.label, c.schemaName, c.tableName, c.columnName, c.type.id, c.precision,
                    c.scale));
        }
        return new CachedPlan(signature, reads, List.copyOf(schema), types, direct);
    }

    /** The JDBC types whose Calcite internal values {@link #stored} converts as the JDBC getters would. */
    private static final java.util.Set<Integer> DIRECT_TYPES = java.util.Set.of(Types.BIGINT, Types.INTEGER,
            Types.SMALLINT, Types.TINYINT, Types.BOOLEAN, Types.REAL, Types.FLOAT, Types.DOUBLE, Types.DECIMAL,
            Types.NUMERIC, Types.BINARY, Types.VARBINARY, Types.CHAR, Types.VARCHAR, Types.TIMESTAMP, Types.DATE, Types.TIME,
            Types.NULL);

    /** Date and time types: run directly only when Calcite holds them as numbers (its internal representation). */
    private static final java.util.Set<Integer> TEMPORAL_TYPES = java.util.Set.of(Types.TIMESTAMP, Types.DATE,
            Types.TIME);
    private static final java.util.Set<ColumnMetaData.Rep> NUMERIC_REPS = java.util.EnumSet.of(
            ColumnMetaData.Rep.PRIMITIVE_LONG, ColumnMetaData.Rep.LONG, ColumnMetaData.Rep.PRIMITIVE_INT,
            ColumnMetaData.Rep.INTEGER, ColumnMetaData.Rep.NUMBER);

    /**
     * One value of Calcite's internal representation (TIMESTAMP as millis, DATE as days, TIME as millis of the day,
     * BINARY as a ByteString, …) in the stored representation: what {@link #value} reads from a result set in UTC.
     */
    private static Object stored(Object v, int jdbcType, KalamType type) {
        if (v == null) {
            return null;
        }
        return switch (jdbcType) {
            case Types.BIGINT -> ((Number) v).longValue();
            case Types.INTEGER -> type.kind() == KalamType.Kind.INT ? (Object) ((Number) v).intValue()
                    : (Object) ((Number) v).longValue();
            case Types.SMALLINT, Types.TINYINT -> ((Number) v).shortValue();
            case Types.REAL -> ((Number) v).floatValue();
            case Types.FLOAT, Types.DOUBLE -> ((Number) v).doubleValue();
            case Types.DECIMAL, Types.NUMERIC -> {
                BigDecimal d = AvaticaSite.toBigDecimal(v);
                yield type.kind() == KalamType.Kind.DECIMAL && d.scale() != type.scale()
                        ? d.setScale(type.scale(), java.math.RoundingMode.HALF_UP) : d;
            }
            case Types.BINARY, Types.VARBINARY -> v instanceof ByteString b ? b.getBytes() : ((byte[]) v).clone();
            case Types.TIMESTAMP -> ((Number) v).longValue() * 1000L;
            case Types.DATE -> ((Number) v).intValue();
            case Types.TIME -> Math.floorMod(((Number) v).longValue(), 86_400_000L) * 1000L;
            // Like ResultSet.getObject: a CHAR value as Calcite holds it (not padded to the column's width).
            case Types.CHAR, Types.VARCHAR -> v.toString();
            default -> v;
        };
    }

    private static List<PlannedTables.Name> readsOf(List<RelNode> converted) {
        java.util.LinkedHashSet<PlannedTables.Name> all = new java.util.LinkedHashSet<>();
        for (RelNode rel : converted) {
            all.addAll(PlannedTables.reads(rel));
        }
        return List.copyOf(all);
    }

    /** A text whose converted plan could be authorised but not implemented: its tables and its error. */
    private static final class PlanFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<PlannedTables.Name> reads;
        private final KalamException error;

        PlanFailure(List<PlannedTables.Name> reads, KalamException error) {
            super(null, null, false, false);
            this.reads = reads;
            this.error = error;
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
