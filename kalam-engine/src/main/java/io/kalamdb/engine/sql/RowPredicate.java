package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.hot.StoredRow;

import java.util.Locale;
import java.util.TimeZone;

import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.linq4j.function.Function1;
import org.apache.calcite.rel.type.TimeFrames;
import org.apache.calcite.schema.SchemaPlus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WHERE condition over one table's rows, compiled by Calcite ({@link FilterCompiler}) into generated Java:
 * live subscriptions and topic routes test each changed row with it. Only TRUE passes; NULL (unknown) and a
 * row whose evaluation fails (say a CAST of a non-numeric string) do not. Thread-safe: each test gets its own
 * evaluation context.
 */
public final class RowPredicate {
    private static final Logger LOG = LoggerFactory.getLogger(RowPredicate.class);
    private static final JavaTypeFactory TYPE_FACTORY = new JavaTypeFactoryImpl();
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private final TableDef table;
    private final String sql;
    private final String userId;
    private final Function1<DataContext, Object[]> function;
    private final boolean constant;
    private volatile boolean failureLogged;

    private RowPredicate(TableDef table, String sql, String userId, Function1<DataContext, Object[]> function,
                         boolean constant) {
        this.table = requireNonNull(table, "table is null");
        this.sql = sql;
        this.userId = userId;
        this.function = function;
        this.constant = constant;
    }

    /** Every row of {@code table} passes (a query without WHERE); no Calcite involved. */
    public static RowPredicate all(TableDef table) {
        return new RowPredicate(table, null, null, null, true);
    }

    /** This predicate with {@code CURRENT_USER()} bound to {@code user} (the compiled code is shared). */
    RowPredicate withUser(String user) {
        return java.util.Objects.equals(user, userId) ? this : new RowPredicate(table, sql, user, function, constant);
    }

    /** A predicate compiled from {@code sql} whose answer never depends on the row. */
    static RowPredicate constant(TableDef table, String sql, String userId, boolean value) {
        return new RowPredicate(table, sql, userId, null, value);
    }

    static RowPredicate compiled(TableDef table, String sql, String userId, Function1<DataContext, Object[]> fn) {
        return new RowPredicate(table, sql, userId, requireNonNull(fn, "fn is null"), false);
    }

    /** Whether both run the same compiled code (one compilation per table version and text). */
    boolean sharesCodeWith(RowPredicate other) {
        return function == other.function && constant == other.constant && table.equals(other.table);
    }

    /** The table version this predicate's column positions belong to. */
    public TableDef table() {
        return table;
    }

    /** Whether a row of {@link #table()} (stored representation) passes. */
    public boolean test(StoredRow row) {
        if (function == null) {
            return constant;
        }
        return test(CalciteTypes.internalRow(table, row));
    }

    /**
     * Whether a row of {@code current} passes. When the table changed since this predicate was compiled, the
     * same text is compiled for its current columns (cached); if it no longer compiles (a column it reads was
     * dropped), no row passes.
     */
    public boolean test(TableDef current, StoredRow row) {
        return forTable(current).test(row);
    }

    /** This predicate for another version of its table. */
    public RowPredicate forTable(TableDef current) {
        if (sql == null || (current.id() == table.id() && current.schemaVersion() == table.schemaVersion()
                && current.columns().size() == table.columns().size())) {
            return this;
        }
        return FilterCompiler.compileOrNone(current, sql, userId);
    }

    /** Whether a row in Calcite's internal representation ({@link CalciteTypes#internalRow}) passes. */
    public boolean test(Object[] internalRow) {
        if (function == null) {
            return constant;
        }
        try {
            return Boolean.TRUE.equals(function.apply(new RowContext(internalRow, userId))[0]);
        } catch (RuntimeException e) {
            if (!failureLogged) {
                failureLogged = true;
                LOG.warn("a row filter failed on a row and counts it as no match [table={}, sql={}, error={}]",
                        table.qualifiedName(), sql, e.toString());
            }
            return false;
        }
    }

    @Override
    public String toString() {
        return "RowPredicate[" + table.qualifiedName() + ", " + (sql == null ? "all" : sql) + "]";
    }

    /**
     * What the generated code reads: the row as {@code inputRecord}, {@code CURRENT_USER()} as parameter
     * {@code ?0} ({@link FilterCompiler#CURRENT_USER_PARAMETER}), and the connection's time zone, locale and time
     * frames.
     */
    private record RowContext(Object[] row, String userId) implements DataContext {
        @Override
        public SchemaPlus getRootSchema() {
            return null;
        }

        @Override
        public JavaTypeFactory getTypeFactory() {
            return TYPE_FACTORY;
        }

        @Override
        public QueryProvider getQueryProvider() {
            return null;
        }

        @Override
        public Object get(String name) {
            if ("inputRecord".equals(name)) {
                return row;
            }
            if (FilterCompiler.CURRENT_USER_PARAMETER.equals(name)) {
                return userId;
            }
            if (Variable.TIME_ZONE.camelName.equals(name)) {
                return UTC;
            }
            if (Variable.LOCALE.camelName.equals(name)) {
                return Locale.ROOT;
            }
            if (Variable.TIME_FRAME_SET.camelName.equals(name)) {
                return TimeFrames.CORE;
            }
            return null;
        }
    }
}
