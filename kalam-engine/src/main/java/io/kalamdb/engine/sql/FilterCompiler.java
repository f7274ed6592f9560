package io.kalamdb.engine.sql;

import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.error.KalamException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.Driver;
import org.apache.calcite.linq4j.function.NonDeterministic;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexExecutable;
import org.apache.calcite.rex.RexExecutorImpl;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.schema.impl.ReflectiveFunctionBase;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles the WHERE of a single-table SELECT into a {@link RowPredicate} with Calcite itself: the text is
 * converted on a connection configured like the query path ({@link CalciteConnections}), the Filter's condition
 * is taken from the converted plan, and Calcite generates Java for it. A subscription or topic route therefore
 * accepts exactly the rows the same SELECT returns. Compiling costs milliseconds, so results are cached by
 * (table version, text), with {@code CURRENT_USER()} bound per subscriber at test time; callers compile off the
 * event loop.
 */
public final class FilterCompiler {
    /** The DataContext name the compiled code reads {@code CURRENT_USER()} from (dynamic parameter 0). */
    static final String CURRENT_USER_PARAMETER = "?0";
    private static final Logger LOG = LoggerFactory.getLogger(FilterCompiler.class);
    private static final int CACHE_SIZE = 512;
    private static final Map<Key, RowPredicate> CACHE = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, RowPredicate> eldest) {
                    return size() > CACHE_SIZE;
                }
            });

    private FilterCompiler() {
    }

    /** A cache key: the whole table definition (so two engines never share a wrong entry) and the text. */
    private record Key(TableDef table, String sql) {
    }

    /**
     * The predicate of the WHERE of {@code sql}, a SELECT over {@code table} already rewritten by
     * {@link CalciteSql#prepare}, with {@code CURRENT_USER()} bound to {@code userId}. A text Calcite refuses
     * keeps Calcite's error; a filter that could answer differently for the same row (NOW(), SNOWFLAKE_ID(),
     * RAND(), a parameter) is INVALID_SQL.
     */
    public static RowPredicate compile(TableDef table, String sql, String userId) {
        Key key = new Key(table, sql);
        RowPredicate p = CACHE.get(key);
        if (p == null) {
            p = convertAndCompile(table, sql);
            CACHE.put(key, p);
        }
        return p.withUser(userId);
    }

    /**
     * {@link #compile} where refusing is too late (a new version of a table, a route already stored): a text that
     * no longer compiles passes no row and is logged.
     */
    public static RowPredicate compileOrNone(TableDef table, String sql, String userId) {
        try {
            return compile(table, sql, userId);
        } catch (KalamException e) {
            LOG.warn("a row filter no longer compiles after a schema change and passes no row [table={}, "
                    + "sql={}, error={}]", table.qualifiedName(), sql, e.getMessage());
            RowPredicate none = RowPredicate.constant(table, sql, null, false);
            CACHE.put(new Key(table, sql), none);
            return none.withUser(userId);
        }
    }

    /** The SELECT a topic route's condition is compiled from ({@code where} as the user wrote it). */
    public static String routeQuery(TableDef table, String where) {
        return "SELECT * FROM " + quote(table.namespace()) + "." + quote(table.name()) + " WHERE "
                + CalciteSql.prepare(where, List.of()).sql();
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static RowPredicate convertAndCompile(TableDef table, String sql) {
        RelNode plan = convert(table, sql);
        Filter filter = filterOnScan(plan);
        if (filter == null) {
            return RowPredicate.constant(table, sql, null, !containsValues(plan));
        }
        RexBuilder rexBuilder = filter.getCluster().getRexBuilder();
        refuseUnstable(filter.getCondition());
        RexNode condition = currentUserAsParameter(filter.getCondition(), rexBuilder);
        if (condition instanceof RexLiteral literal) {
            return RowPredicate.constant(table, sql, null, Boolean.TRUE.equals(literal.getValueAs(Boolean.class)));
        }
        RexExecutable executable = RexExecutorImpl.getExecutable(rexBuilder, List.of(condition),
                filter.getInput().getRowType());
        return RowPredicate.compiled(table, sql, null, executable.getFunction());
    }

    /** The converted (not yet optimised) plan of {@code sql} over a schema holding only {@code table}. */
    private static RelNode convert(TableDef table, String sql) {
        try (Connection connection = new Driver().connect("jdbc:calcite:", CalciteConnections.properties())) {
            CalciteConnection calcite = connection.unwrap(CalciteConnection.class);
            SchemaPlus root = calcite.getRootSchema();
            root.add(table.namespace(), new AbstractSchema()).add(table.name(), new RowTypeTable(table));
            CalciteConnections.addFunctions(root);
            // The plan is all we need: stop Calcite right after conversion instead of optimising and implementing.
            java.util.function.Consumer<RelNode> stop = rel -> {
                throw new Converted(rel);
            };
            try (Hook.Closeable ignored = Hook.CONVERTED.addThread(stop)) {
                connection.prepareStatement(sql).close();
            } catch (SQLException | RuntimeException e) {
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof Converted c) {
                        return c.rel;
                    }
                }
                throw QueryRunner.namingTable(QueryRunner.translate(e, sql), sql, table.namespace());
            }
            throw KalamException.internal("the planner produced no relational plan for a row filter", null);
        } catch (SQLException e) {
            throw KalamException.internal("cannot open the SQL planner: " + e.getMessage(), e);
        }
    }

    private static Filter filterOnScan(RelNode rel) {
        if (rel instanceof Filter f && f.getInput() instanceof TableScan) {
            return f;
        }
        for (RelNode input : rel.getInputs()) {
            Filter f = filterOnScan(input);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    private static boolean containsValues(RelNode rel) {
        if (rel instanceof Values) {
            return true;
        }
        for (RelNode input : rel.getInputs()) {
            if (containsValues(input)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isCurrentUser(SqlOperator op) {
        return op.getName().equalsIgnoreCase(KalamFunctions.CURRENT_USER_FUNCTION);
    }

    /**
     * Replaces {@code KALAM_CURRENT_USER()} by parameter 0, which each test reads from its context: one compiled
     * predicate serves every subscriber (and every user partition of a route).
     */
    private static RexNode currentUserAsParameter(RexNode condition, RexBuilder rexBuilder) {
        return condition.accept(new RexShuttle() {
            @Override
            public RexNode visitCall(RexCall call) {
                if (isCurrentUser(call.getOperator())) {
                    return rexBuilder.makeDynamicParam(call.getType(), 0);
                }
                return super.visitCall(call);
            }
        });
    }

    /**
     * Refuses what could give two answers for the same row: non-deterministic or dynamic functions, parameters.
     * {@code CURRENT_USER()} is allowed: it is fixed per subscriber.
     */
    private static void refuseUnstable(RexNode condition) {
        condition.accept(new RexVisitorImpl<Void>(true) {
            @Override
            public Void visitCall(RexCall call) {
                SqlOperator op = call.getOperator();
                if (isCurrentUser(op)) {
                    return null;
                }
                if (!op.isDeterministic() || op.isDynamicFunction() || isNonDeterministicUdf(op)) {
                    throw KalamException.invalidSql("a row filter cannot use " + op.getName() + "(): it is tested "
                            + "on each change and must give the same answer for the same row [function="
                            + op.getName() + "]");
                }
                return super.visitCall(call);
            }

            @Override
            public Void visitDynamicParam(RexDynamicParam param) {
                throw KalamException.invalidSql("a row filter cannot have parameters");
            }

            @Override
            public Void visitSubQuery(RexSubQuery subQuery) {
                throw KalamException.invalidSql("a row filter cannot contain subqueries");
            }
        });
    }

    /** A function of ours marked {@link NonDeterministic} (NOW, SNOWFLAKE_ID, ...): Calcite does not ask the mark. */
    private static boolean isNonDeterministicUdf(SqlOperator op) {
        if (op instanceof SqlUserDefinedFunction udf && udf.getFunction() instanceof ReflectiveFunctionBase f) {
            return f.method.isAnnotationPresent(NonDeterministic.class)
                    || f.method.getDeclaringClass().isAnnotationPresent(NonDeterministic.class);
        }
        return false;
    }

    /** A table that only has a row type: enough to convert a query, never scanned. */
    private static final class RowTypeTable extends AbstractTable {
        private final TableDef def;

        RowTypeTable(TableDef def) {
            this.def = def;
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory f) {
            return KalamTable.rowType(f, def);
        }
    }

    /** Carries the converted plan out of Calcite's prepare. */
    private static final class Converted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient RelNode rel;

        Converted(RelNode rel) {
            super(null, null, false, false);
            this.rel = rel;
        }
    }
}
