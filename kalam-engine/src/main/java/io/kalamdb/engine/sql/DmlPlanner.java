package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.Session;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.catalog.ColumnDef;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.catalog.TableType;
import io.kalamdb.engine.catalog.ValueCoercion;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.HotPartitionReader;
import io.kalamdb.engine.hot.HotStore;
import io.kalamdb.engine.hot.KeyCodec;
import io.kalamdb.engine.hot.PartitionReader;
import io.kalamdb.engine.hot.RowCodec;
import io.kalamdb.engine.hot.StoredRow;
import io.kalamdb.engine.write.RowOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Turns INSERT, UPDATE and DELETE into row operations for the write log: evaluates values and defaults,
 * checks types and NOT NULL, and finds the rows an UPDATE or DELETE touches with a Calcite query over the
 * subject's partition. Primary-key uniqueness is checked again when the command applies, and so is the version
 * of every row an UPDATE or DELETE read (its {@code _seq}): a row changed meanwhile makes the command fail with
 * {@code CONFLICT} instead of overwriting the newer version with values computed from the older one.
 */
public final class DmlPlanner {
    private final Catalog catalog;
    private final PartitionReader reader;
    private final QueryRunner queries;

    public DmlPlanner(Catalog catalog, HotStore store, QueryRunner queries) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.reader = new HotPartitionReader(requireNonNull(store, "store is null"));
        this.queries = requireNonNull(queries, "queries is null");
    }

    private TableDef table(Stmt.TableRef ref) {
        TableDef t = catalog.table(ref.namespace(), ref.name());
        if (t == null) {
            throw KalamException.tableNotFound(ref.qualified());
        }
        return t;
    }

    private static String partition(TableDef t, ScanScope scope) {
        return t.type().isPerUser() ? scope.userId() : "";
    }

    // ---------- INSERT ----------

    // ---------- what a statement reads ----------

    /**
     * The queries that planning {@code stmt} will run for {@code userId}, as the same texts, so that a batch can be
     * authorised on their plans before any statement runs; null when the target table does not exist yet (the
     * queries are then checked when they run).
     */
    public List<String> sourceQueries(Stmt stmt, String userId) {
        List<String> out = new ArrayList<>();
        switch (stmt) {
            case Stmt.Insert ins -> {
                if (ins.rows() != null) {
                    // a row without a sub-query reads no table, whether or not Calcite evaluates it
                    for (List<SqlNode> exprs : ins.rows()) {
                        for (SqlNode e : exprs) {
                            if (CalciteSql.containsSubquery(e)) {
                                out.add(valuesSql(exprs));
                                break;
                            }
                        }
                    }
                } else {
                    out.add(CalciteSql.unparse(ins.query()));
                }
            }
            case Stmt.Update upd -> {
                TableDef t = catalog.table(upd.table().namespace(), upd.table().name());
                if (t == null || t.primaryKey() == null) {
                    return null;
                }
                out.add(matchingSql(t, upd.node().getCondition(), complexSources(upd, userId)));
            }
            case Stmt.Delete del -> {
                TableDef t = catalog.table(del.table().namespace(), del.table().name());
                if (t == null || t.primaryKey() == null) {
                    return null;
                }
                out.add(matchingSql(t, del.node().getCondition(), List.of()));
            }
            default -> {
            }
        }
        return out;
    }

    /** The SET expressions of an UPDATE that need Calcite (the others are evaluated directly). */
    private static List<SqlNode> complexSources(Stmt.Update stmt, String userId) {
        List<SqlNode> complex = new ArrayList<>();
        for (SqlNode source : stmt.node().getSourceExpressionList()) {
            if (ExpressionEvaluator.eval(source, stmt.params(), userId) == ExpressionEvaluator.COMPLEX) {
                complex.add(source);
            }
        }
        return complex;
    }

    // ---------- INSERT ----------

    public List<RowOp> insert(Stmt.Insert stmt, Session session, ScanScope scope, String defaultNamespace) {
        TableDef t = table(stmt.table());
        List<ColumnDef> columns = t.columns();
        int[] targets;
        List<String> targetList = stmt.columns();
        if (targetList == null || targetList.isEmpty()) {
            targets = new int[columns.size()];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = i;
            }
        } else {
            targets = new int[targetList.size()];
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < targets.length; i++) {
                String name = targetList.get(i);
                if (TableDef.isSystemColumn(name)) {
                    throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED,
                            "cannot insert into system column [column=" + name + "]");
                }
                int idx = t.columnIndex(name);
                if (idx < 0) {
                    throw KalamException.columnNotFound(name, t.qualifiedName());
                }
                if (!seen.add(idx)) {
                    throw new KalamException(KalamErrorCode.INVALID_OPTION,
                            "column appears more than once [column=" + name + "]");
                }
                targets[i] = idx;
            }
        }
        List<ExpressionEvaluator.Value[]> rows = sourceRows(stmt, targets.length, session, scope, defaultNamespace);
        String partition = partition(t, scope);
        List<RowOp> ops = new ArrayList<>(rows.size());
        Set<ByteKey> keys = new HashSet<>();
        int pkIndex = t.primaryKeyIndex();
        for (ExpressionEvaluator.Value[] source : rows) {
            Object[] values = new Object[columns.size()];
            boolean[] given = new boolean[columns.size()];
            for (int i = 0; i < targets.length; i++) {
                ColumnDef c = columns.get(targets[i]);
                values[targets[i]] = ValueCoercion.coerce(source[i].value(), c.type(), source[i].lenient(), c.name());
                given[targets[i]] = true;
            }
            for (int i = 0; i < columns.size(); i++) {
                ColumnDef c = columns.get(i);
                if (!given[i] && c.defaultValue() != null) {
                    ExpressionEvaluator.Value d = ExpressionEvaluator.defaultValue(c.defaultValue(), scope.userId());
                    values[i] = ValueCoercion.coerce(d.value(), c.type(), true, c.name());
                }
                if (values[i] == null && (!c.nullable() || c.primaryKey())) {
                    throw new KalamException(KalamErrorCode.NOT_NULL_VIOLATION,
                            "NOT NULL violation: column '" + c.name()
                            + "' cannot be null [table=" + t.qualifiedName() + "]");
                }
            }
            byte[] pk = pkIndex < 0 ? KeyCodec.encodePk(io.kalamdb.engine.catalog.KalamType.BIGINT,
                    io.kalamdb.engine.util.Ids.current().snowflake()) : KeyCodec.encodePk(columns.get(pkIndex).type(),
                    values[pkIndex]);
            if (!keys.add(new ByteKey(pk))) {
                throw new KalamException(KalamErrorCode.PRIMARY_KEY_VIOLATION,
                        "Primary key violation: value '" + values[pkIndex]
                        + "' appears multiple times in column '" + columns.get(pkIndex).name() + "'");
            }
            ops.add(new RowOp(RowOp.Kind.INSERT, t.id(), partition, pk, RowCodec.encode(columns, values, 0, false),
                    null));
        }
        return ops;
    }

    private List<ExpressionEvaluator.Value[]> sourceRows(Stmt.Insert stmt, int width, Session session,
                                                          ScanScope scope, String defaultNamespace) {
        SqlNode source = stmt.query();
        List<ExpressionEvaluator.Value[]> rows = new ArrayList<>();
        if (stmt.rows() != null) {
            for (List<SqlNode> exprs : stmt.rows()) {
                if (exprs.size() != width) {
                    throw new KalamException(KalamErrorCode.INVALID_OPTION,
                            "INSERT has " + exprs.size() + " value(s) for " + width
                            + " column(s)");
                }
                ExpressionEvaluator.Value[] row = new ExpressionEvaluator.Value[width];
                boolean complex = false;
                for (int i = 0; i < width; i++) {
                    row[i] = ExpressionEvaluator.eval(exprs.get(i), stmt.params(), scope.userId());
                    complex |= row[i] == ExpressionEvaluator.COMPLEX;
                }
                if (complex) {
                    row = evaluateWithCalcite(exprs, stmt.params(), session, scope, defaultNamespace);
                }
                rows.add(row);
            }
            return rows;
        }
        List<Object> params = paramsOf(List.of(source), stmt.params());
        QueryRunner.Output out = queries.run(CalciteSql.unparse(source), params, defaultNamespace, session, scope,
                Integer.MAX_VALUE);
        if (out.schema().size() != width) {
            throw new KalamException(KalamErrorCode.INVALID_OPTION,
                    "INSERT ... SELECT returns " + out.schema().size() + " column(s) for "
                    + width + " target column(s)");
        }
        for (Object[] r : out.rows()) {
            ExpressionEvaluator.Value[] row = new ExpressionEvaluator.Value[width];
            for (int i = 0; i < width; i++) {
                row[i] = new ExpressionEvaluator.Value(r[i], true);
            }
            rows.add(row);
        }
        return rows;
    }

    private ExpressionEvaluator.Value[] evaluateWithCalcite(List<SqlNode> exprs, List<Object> params,
                                                            Session session, ScanScope scope,
                                                            String defaultNamespace) {
        QueryRunner.Output out = queries.run(valuesSql(exprs), paramsOf(exprs, params), defaultNamespace, session,
                scope, 1);
        ExpressionEvaluator.Value[] row = new ExpressionEvaluator.Value[exprs.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = new ExpressionEvaluator.Value(out.rows().get(0)[i], true);
        }
        return row;
    }

    /** The query that evaluates one VALUES row with Calcite. */
    private static String valuesSql(List<SqlNode> exprs) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < exprs.size(); i++) {
            if (i > 0) {
                sql.append(", ");
            }
            sql.append(unparseExpression(exprs.get(i)));
        }
        return sql.toString();
    }

    /** An expression as SQL text in parentheses (a scalar sub-query unparses without its own). */
    private static String unparseExpression(SqlNode expr) {
        return '(' + CalciteSql.unparse(expr) + ')';
    }

    /** The parameter values of these nodes, in the order their placeholders appear. */
    private static List<Object> paramsOf(List<SqlNode> nodes, List<Object> params) {
        List<Object> out = new ArrayList<>();
        for (SqlNode n : nodes) {
            if (n == null) {
                continue;
            }
            List<SqlDynamicParam> found = new ArrayList<>();
            n.accept(new SqlShuttle() {
                @Override
                public SqlNode visit(SqlDynamicParam param) {
                    found.add(param);
                    return param;
                }
            });
            found.sort((a, b) -> Integer.compare(a.getIndex(), b.getIndex()));
            for (SqlDynamicParam p : found) {
                out.add(params.get(p.getIndex()));
            }
        }
        return out;
    }

    // ---------- UPDATE / DELETE ----------

    public List<RowOp> update(Stmt.Update stmt, Session session, ScanScope scope, String defaultNamespace) {
        TableDef t = table(stmt.table());
        List<ColumnDef> columns = t.columns();
        SqlNodeList targetList = stmt.node().getTargetColumnList();
        SqlNodeList sources = stmt.node().getSourceExpressionList();
        int[] targets = new int[targetList.size()];
        ExpressionEvaluator.Value[] simple = new ExpressionEvaluator.Value[targets.length];
        List<SqlNode> complex = new ArrayList<>();
        for (int i = 0; i < targets.length; i++) {
            String name = CalciteSql.columnName(targetList.get(i));
            if (TableDef.isSystemColumn(name)) {
                throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED,
                        "cannot update system column [column=" + name + "]");
            }
            targets[i] = t.columnIndex(name);
            if (targets[i] < 0) {
                throw KalamException.columnNotFound(name, t.qualifiedName());
            }
            simple[i] = ExpressionEvaluator.eval(sources.get(i), stmt.params(), scope.userId());
            if (simple[i] == ExpressionEvaluator.COMPLEX) {
                complex.add(sources.get(i));
            }
        }
        List<SqlNode> selected = new ArrayList<>(complex);
        List<Object[]> matches = matchingRows(t, stmt.node().getCondition(), selected, stmt.params(), session,
                scope, defaultNamespace);
        String partition = partition(t, scope);
        byte[] prefix = KeyCodec.partitionPrefix(t.id(), partition);
        int pkIndex = t.primaryKeyIndex();
        List<RowOp> ops = new ArrayList<>();
        Set<ByteKey> newKeys = new HashSet<>();
        for (Object[] match : matches) {
            io.kalamdb.engine.StatementControl.checkCurrent();
            byte[] pk = KeyCodec.encodePk(columns.get(pkIndex).type(), toStored(columns.get(pkIndex), match[0]));
            long readSeq = ((Number) match[1]).longValue();
            byte[] stored = scope.readerOr(reader).get(prefix, pk);
            if (stored == null || RowCodec.isDeleted(stored)) {
                continue;
            }
            if (RowCodec.seqOf(stored) != readSeq) {
                // the SET values were computed from an older version than the one stored now
                throw KalamException.conflict("row changed while the statement read it [table=" + t.qualifiedName()
                        + "]");
            }
            StoredRow old = RowCodec.decode(t, stored);
            Object[] values = old.values().clone();
            int complexIndex = 2;
            for (int i = 0; i < targets.length; i++) {
                ColumnDef c = columns.get(targets[i]);
                ExpressionEvaluator.Value v = simple[i] == ExpressionEvaluator.COMPLEX
                        ? new ExpressionEvaluator.Value(match[complexIndex++], true) : simple[i];
                values[targets[i]] = ValueCoercion.coerce(v.value(), c.type(), v.lenient(), c.name());
                if (values[targets[i]] == null && (!c.nullable() || c.primaryKey())) {
                    throw new KalamException(KalamErrorCode.NOT_NULL_VIOLATION,
                            "NOT NULL violation: column '" + c.name()
                            + "' cannot be null [table=" + t.qualifiedName() + "]");
                }
            }
            if (sameValues(old.values(), values)) {
                continue;
            }
            byte[] newPk = KeyCodec.encodePk(columns.get(pkIndex).type(), values[pkIndex]);
            boolean moved = !Arrays.equals(pk, newPk);
            if (!newKeys.add(new ByteKey(newPk))) {
                throw new KalamException(KalamErrorCode.PRIMARY_KEY_VIOLATION,
                        "Primary key violation: value '" + values[pkIndex]
                        + "' appears multiple times in column '" + columns.get(pkIndex).name() + "'");
            }
            ops.add(new RowOp(RowOp.Kind.UPDATE, t.id(), partition, newPk,
                    RowCodec.encode(columns, values, 0, false), moved ? pk : null, readSeq));
        }
        return ops;
    }

    public List<RowOp> delete(Stmt.Delete stmt, Session session, ScanScope scope, String defaultNamespace) {
        TableDef t = table(stmt.table());
        List<Object[]> matches = matchingRows(t, stmt.node().getCondition(), List.of(), stmt.params(), session,
                scope, defaultNamespace);
        String partition = partition(t, scope);
        ColumnDef pkCol = t.primaryKey();
        RowOp.Kind kind = t.type() == TableType.STREAM ? RowOp.Kind.HARD_DELETE : RowOp.Kind.SOFT_DELETE;
        List<RowOp> ops = new ArrayList<>(matches.size());
        for (Object[] match : matches) {
            byte[] pk = KeyCodec.encodePk(pkCol.type(), toStored(pkCol, match[0]));
            ops.add(new RowOp(kind, t.id(), partition, pk, null, null, ((Number) match[1]).longValue()));
        }
        return ops;
    }

    /**
     * Rows of the subject's partition matching {@code condition}: primary key, the {@code _seq} of the version
     * read (the op's precondition), then {@code exprs}.
     */
    private List<Object[]> matchingRows(TableDef t, SqlNode condition, List<SqlNode> exprs, List<Object> params,
                                        Session session, ScanScope scope, String defaultNamespace) {
        if (t.primaryKey() == null) {
            throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED,
                    "table has no primary key [table=" + t.qualifiedName() + "]");
        }
        List<SqlNode> paramNodes = new ArrayList<>(exprs);
        if (condition != null) {
            paramNodes.add(condition);
        }
        ScanScope live = new ScanScope(scope.userId(), false, scope.reader());
        return queries.run(matchingSql(t, condition, exprs), paramsOf(paramNodes, params), defaultNamespace, session,
                live, Integer.MAX_VALUE).rows();
    }

    /** The query that finds an UPDATE's or DELETE's rows: primary key, {@code _seq}, then {@code exprs}. */
    private static String matchingSql(TableDef t, SqlNode condition, List<SqlNode> exprs) {
        StringBuilder sql = new StringBuilder("SELECT ").append(quote(t.primaryKey().name())).append(", ")
                .append(quote(TableDef.SEQ));
        for (SqlNode e : exprs) {
            sql.append(", ").append(unparseExpression(e));
        }
        sql.append(" FROM ").append(quote(t.namespace())).append('.').append(quote(t.name()));
        if (condition != null) {
            sql.append(" WHERE ").append(unparseExpression(condition));
        }
        return sql.toString();
    }

    private static Object toStored(ColumnDef c, Object queryValue) {
        return ValueCoercion.coerce(queryValue, c.type(), true, c.name());
    }

    private static boolean sameValues(Object[] a, Object[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] instanceof byte[] x && b[i] instanceof byte[] y) {
                if (!Arrays.equals(x, y)) {
                    return false;
                }
            } else if (!Objects.equals(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Byte-array key with value equality. */
    private record ByteKey(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
